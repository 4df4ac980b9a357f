import XCTest
@testable import WebApp
import Markup

final class HTMLWriterTests: XCTestCase {
    func testTextIsEscapedAndMarkupIsNot() {
        var html = HTMLWriter()
        html.raw("<p title=\"")
        html.text(#"a "quoted" 'word' & <tag>"#)
        html.raw("\">")
        html.text("Yn ôl – ✓ 💬")
        html.text("")
        html.raw("</p>")
        XCTAssertEqual(html.string, #"<p title="a &quot;quoted&quot; &#39;word&#39; &amp; &lt;tag&gt;">Yn ôl – ✓ 💬</p>"#)
    }

    func testEdgesAttributesAndTokensAreEscaped() {
        func written(_ body: (inout HTMLWriter) -> Void) -> String {
            var html = HTMLWriter()
            body(&html)
            return html.string
        }
        XCTAssertEqual(written { $0.text("plain text, nothing to do") }, "plain text, nothing to do")
        XCTAssertEqual(written { $0.text("&") }, "&amp;")
        XCTAssertEqual(written { $0.text("<<>>") }, "&lt;&lt;&gt;&gt;")
        XCTAssertEqual(written { $0.text("x'") }, "x&#39;")
        XCTAssertEqual(written { $0.element("a", ["href": "/x?a=1&b=\"2\""], text: "<b>") }, "<a href=\"/x?a=1&amp;b=&quot;2&quot;\">&lt;b&gt;</a>")
        XCTAssertEqual(written { $0.token("answer-2") }, "answer-2")
        XCTAssertEqual(written { $0.token("x\"><script>") }, "x&quot;&gt;&lt;script&gt;", "a token that is not plain is escaped")
    }

    func testControlCharactersBecomeReplacementCharacters() {
        var html = HTMLWriter()
        html.text("a\u{1B}[31mb\u{07}c\u{00}d\u{7F}e\u{85}f\u{9F}g\tline\nnext\r\u{A0}é\u{C2}")
        XCTAssertEqual(html.string, "a\u{FFFD}[31mb\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{FFFD}g\tline\nnext\r\u{A0}é\u{C2}",
                       "C0, DEL and C1 controls go; tab, line breaks, U+00A0 and other U+00C2-led text stay")
    }

    func testPathSegmentsSkipEmptyOnesAndKeepMultibyteText() {
        XCTAssertEqual(CanvassWebApp.segments("/s/abc/q/x"), ["s", "abc", "q", "x"])
        XCTAssertEqual(CanvassWebApp.segments("//a//b/"), ["a", "b"])
        XCTAssertEqual(CanvassWebApp.segments("/"), [])
        XCTAssertEqual(CanvassWebApp.segments(""), [])
        XCTAssertEqual(CanvassWebApp.segments("/ŵ/✓x"), ["ŵ", "✓x"])
    }
}
