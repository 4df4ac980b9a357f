/// Interface text in English and Welsh (GOV.UK Design System wording where it has one).
struct UIText {
    let language: String
    var welsh: Bool { language == "cy" }

    var skipLink: String { welsh ? "Neidio i'r prif gynnwys" : "Skip to main content" }
    var back: String { welsh ? "Yn ôl" : "Back" }
    var continueButton: String { welsh ? "Parhau" : "Continue" }
    var startButton: String { welsh ? "Dechrau nawr" : "Start now" }
    var problem: String { welsh ? "Mae problem wedi codi" : "There is a problem" }
    var errorPrefix: String { welsh ? "Gwall:" : "Error:" }
    var checkTitle: String { welsh ? "Gwiriwch eich atebion cyn eu hanfon" : "Check your answers before sending them" }
    var change: String { welsh ? "Newid" : "Change" }
    var send: String { welsh ? "Anfon" : "Send" }
    var sendNote: String { welsh ? "Drwy anfon eich atebion, rydych yn cadarnhau eu bod yn gywir hyd eithaf eich gwybodaeth." : "By sending your answers you are confirming that, to the best of your knowledge, they are correct." }
    var thankYou: String { welsh ? "Diolch" : "Thank you" }
    var answersSent: String { welsh ? "Mae eich atebion wedi cael eu hanfon" : "Your answers have been sent" }
    var whatNext: String { welsh ? "Beth sy'n digwydd nesaf" : "What happens next" }
    var whatNextBody: String { welsh ? "Bydd eich atebion yn helpu'r heddlu a'r cyngor i wella sut maen nhw'n delio ag ymddygiad gwrthgymdeithasol. Does dim angen i chi wneud unrhyw beth arall." : "Your answers will help the police and council improve how they deal with anti-social behaviour. You do not need to do anything else." }
    var alreadyDone: String { welsh ? "Rydych eisoes wedi ateb yr arolwg hwn" : "You have already completed this survey" }
    var alreadyDoneBody: String { welsh ? "Diolch. Mae eich atebion eisoes wedi cael eu hanfon, felly ni allwch eu newid." : "Thank you. Your answers have already been sent, so they cannot be changed." }
    var optional: String { welsh ? "(dewisol)" : "(optional)" }
    var day: String { welsh ? "Diwrnod" : "Day" }
    var month: String { welsh ? "Mis" : "Month" }
    var year: String { welsh ? "Blwyddyn" : "Year" }
    var dateHint: String { welsh ? "Er enghraifft, 27 3 2026" : "For example, 27 3 2026" }
    var notAnswered: String { welsh ? "Heb ateb" : "Not answered" }
    var saveFailed: String { welsh ? "Mae'n ddrwg gennym, nid oedd modd cadw eich ateb. Rhowch gynnig arall arni mewn ychydig funudau." : "Sorry, we could not save your answer. Please try again in a few minutes." }
    var expired: String { welsh ? "Mae'r dudalen hon wedi dod i ben. Atebwch y cwestiwn eto." : "This page has expired. Please answer the question again." }
    var languageName: String { welsh ? "Cymraeg" : "English" }
    var confidential: String { welsh ? "Mae eich atebion yn gyfrinachol." : "Your answers are confidential." }
    var pageNotFound: String { welsh ? "Heb ddod o hyd i'r dudalen" : "Page not found" }
    var pageNotFoundBody: String { welsh ? "Os gwnaethoch deipio'r cyfeiriad, gwiriwch ei fod yn gywir. Os gwnaethoch ddefnyddio dolen mewn neges, efallai ei bod wedi dod i ben." : "If you typed the web address, check it is correct. If you used a link in a message, it may have expired." }
    var tooMany: String { welsh ? "Gormod o geisiadau. Arhoswch funud a rhowch gynnig arall arni." : "Too many attempts. Please wait a minute and try again." }
    var serviceProblem: String { welsh ? "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" : "Sorry, there is a problem with the service" }
    var tryLater: String { welsh ? "Rhowch gynnig arall arni yn nes ymlaen. Mae eich atebion blaenorol wedi'u cadw." : "Please try again later. Your earlier answers have been saved." }
}
