import Hashing
import Markup

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

        /// Hashes everything but the heading's and hint's text, which only their lengths stand
        /// for: hashing the whole text cost as much as filling the template. Keys still compare
        /// equal only when every fact, text included, is the same.
        func hash(into hasher: inout Hasher) {
            hasher.combine(versionID)
            hasher.combine(questionID)
            hasher.combine(language)
            hasher.combine(changing)
            hasher.combine(back)
            hasher.combine(heading.utf8.count)
            hasher.combine(hint?.utf8.count ?? -1)
            hasher.combine(values)
        }
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

/// A rendered page with its token placeholders taken out: one byte array and where each token
/// goes. (One array, not one per piece: the pieces' reference counts, shared by every loop,
/// showed as contended atomics when filled.)
struct PageTemplate {
    enum Hole { case token, csrf }

    /// The page without its placeholders.
    let bytes: [UInt8]
    /// Each token's place in `bytes`, in order.
    let holes: [(offset: Int, hole: Hole)]

    /// Cuts `page` wherever `token` or `csrf` occurs.
    init(_ page: [UInt8], token: [UInt8], csrf: [UInt8]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(page.count)
        var holes: [(offset: Int, hole: Hole)] = []
        var index = 0
        while index < page.count {
            if let (hole, length) = Self.placeholder(in: page, at: index, token: token, csrf: csrf) {
                holes.append((bytes.count, hole))
                index += length
            } else {
                bytes.append(page[index])
                index += 1
            }
        }
        self.bytes = bytes
        self.holes = holes
    }

    private static func placeholder(in page: [UInt8], at index: Int, token: [UInt8], csrf: [UInt8]) -> (Hole, Int)? {
        if occurs(token, in: page, at: index) { return (.token, token.count) }
        if occurs(csrf, in: page, at: index) { return (.csrf, csrf.count) }
        return nil
    }

    private static func occurs(_ bytes: [UInt8], in page: [UInt8], at index: Int) -> Bool {
        page.count - index >= bytes.count && page[index] == bytes[0] && page[index..<index + bytes.count].elementsEqual(bytes)
    }

    /// The page with the respondent's tokens in the holes.
    func filled(token: String, csrf: String) -> [UInt8] {
        var token = token, csrf = csrf
        var page: [UInt8] = []
        page.reserveCapacity(bytes.count + holes.count * max(token.utf8.count, csrf.utf8.count))
        bytes.withUnsafeBufferPointer { source in
            token.withUTF8 { token in
                csrf.withUTF8 { csrf in
                    var start = 0
                    for (offset, hole) in holes {
                        page.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<offset]))
                        page.append(contentsOf: hole == .token ? token : csrf)
                        start = offset
                    }
                    page.append(contentsOf: UnsafeBufferPointer(rebasing: source[start...]))
                }
            }
        }
        return page
    }
}
