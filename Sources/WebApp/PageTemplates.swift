import Hashing

/// Question pages rendered once per shape and then filled in per respondent. Respondents on the
/// same question, in the same language, with the same answer showing, get the same page except
/// for their link token (in the form's action, the back link and the language links) and their
/// form token. So the page is rendered with two random placeholders in those places, cut at them
/// into a template, and each later view only copies the pieces around its own two tokens: a
/// question page costs a fraction of rendering it.
///
/// The key is everything else a page's bytes depend on (the questionnaire version and the page's
/// facts), and the renderer reads the respondent only through those facts and the two tokens.
/// Placeholders are 128-bit random hex: escaping leaves them unchanged, and no questionnaire text
/// contains one by chance. Bounded: when full, the store starts again.
final class PageTemplates: @unchecked Sendable {
    /// What a question page's bytes depend on, apart from the two tokens: the questionnaire
    /// version and the page's facts (`QuestionPageFacts`).
    struct Key: Hashable {
        var versionID: Int64
        var questionID: String
        var language: String
        var changing: Bool
        var back: QuestionPageFacts.Back
        var heading: String
        var hint: String?
        var values: QuestionPage.FieldValues
    }

    /// Stands in for the respondent's link token while rendering a template.
    let tokenPlaceholder: String
    /// Stands in for the respondent's form (CSRF) token.
    let csrfPlaceholder: String
    private let capacity: Int
    private let lock = ReadWriteLock()
    private var templates: [Key: PageTemplate] = [:]

    init(capacity: Int) {
        self.capacity = capacity
        tokenPlaceholder = RandomToken.hex(bytes: 16)
        csrfPlaceholder = RandomToken.hex(bytes: 16)
    }

    /// False when configured to hold none: every page is rendered whole.
    var isEnabled: Bool { capacity > 0 }

    /// Templates held now.
    var count: Int { lock.reading { templates.count } }

    /// The page for `key` with `token` and `csrf` filled in; `render` makes the template (with
    /// the placeholders) the first time.
    func page(_ key: Key, token: String, csrf: String, render: () -> [UInt8]) -> [UInt8] {
        if let template = lock.reading({ templates[key] }) { return template.filled(token: token, csrf: csrf) }
        let template = PageTemplate(render(), token: Array(tokenPlaceholder.utf8), csrf: Array(csrfPlaceholder.utf8))
        lock.writing {
            if templates.count >= capacity { templates.removeAll(keepingCapacity: true) }
            templates[key] = template
        }
        return template.filled(token: token, csrf: csrf)
    }
}

extension PageTemplates.Key {
    init(versionID: Int64, facts: QuestionPageFacts) {
        self.init(versionID: versionID, questionID: facts.question.id, language: facts.language, changing: facts.changing,
                  back: facts.back, heading: facts.heading, hint: facts.hint, values: facts.values)
    }
}

/// A rendered page cut at its token placeholders: `pieces.count == holes.count + 1`.
struct PageTemplate {
    enum Hole { case token, csrf }

    let pieces: [[UInt8]]
    let holes: [Hole]
    private let fixedSize: Int

    /// Cuts `page` wherever `token` or `csrf` occurs.
    init(_ page: [UInt8], token: [UInt8], csrf: [UInt8]) {
        var pieces: [[UInt8]] = []
        var holes: [Hole] = []
        var start = 0
        var index = 0
        while index < page.count {
            if let (hole, length) = Self.placeholder(in: page, at: index, token: token, csrf: csrf) {
                pieces.append(Array(page[start..<index]))
                holes.append(hole)
                index += length
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(Array(page[start...]))
        self.pieces = pieces
        self.holes = holes
        fixedSize = pieces.reduce(0) { $0 + $1.count }
    }

    private static func placeholder(in page: [UInt8], at index: Int, token: [UInt8], csrf: [UInt8]) -> (Hole, Int)? {
        for (hole, bytes) in [(Hole.token, token), (.csrf, csrf)] where page.count - index >= bytes.count {
            if page[index] == bytes[0] && page[index..<index + bytes.count].elementsEqual(bytes) { return (hole, bytes.count) }
        }
        return nil
    }

    /// The page with the respondent's tokens in the holes.
    func filled(token: String, csrf: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fixedSize + holes.count * max(token.utf8.count, csrf.utf8.count))
        for (index, hole) in holes.enumerated() {
            bytes.append(contentsOf: pieces[index])
            bytes.append(contentsOf: hole == .token ? token.utf8 : csrf.utf8)
        }
        bytes.append(contentsOf: pieces[holes.count])
        return bytes
    }
}
