/// Text shown to respondents, in one or more languages (`en`, `cy`, …).
public struct LocalizedText: Equatable, Sendable {
    /// Language code → text. A plain string in the file is stored under `en`.
    public var translations: [String: String]
    /// The order languages were given in the file; the first is the fallback.
    public var languageOrder: [String]

    public init(_ text: String) {
        translations = ["en": text]
        languageOrder = ["en"]
    }

    public init(translations: [(String, String)]) {
        self.translations = Dictionary(translations, uniquingKeysWith: { first, _ in first })
        languageOrder = translations.map(\.0)
    }

    /// The text in `language`, falling back to English, then to the first language given.
    public func text(_ language: String = "en") -> String {
        translations[language] ?? translations["en"] ?? languageOrder.first.flatMap { translations[$0] } ?? ""
    }

    /// Every translation's text, for checks that look inside labels (piping references).
    public var allTexts: [String] { languageOrder.compactMap { translations[$0] } }
}
