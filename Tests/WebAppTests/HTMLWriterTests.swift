import XCTest
@testable import WebApp

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

    func testEscapeReturnsPlainTextUnchangedAndEscapesEdges() {
        XCTAssertEqual(HTML.escape("plain text, nothing to do"), "plain text, nothing to do")
        XCTAssertEqual(HTML.escape("&"), "&amp;")
        XCTAssertEqual(HTML.escape("<<>>"), "&lt;&lt;&gt;&gt;")
        XCTAssertEqual(HTML.escape("x'"), "x&#39;")
        XCTAssertEqual(HTML.escape("\"é\""), "&quot;é&quot;")
    }

    func testPathSegmentsSkipEmptyOnesAndKeepMultibyteText() {
        XCTAssertEqual(CanvassWebApp.segments("/s/abc/q/x"), ["s", "abc", "q", "x"])
        XCTAssertEqual(CanvassWebApp.segments("//a//b/"), ["a", "b"])
        XCTAssertEqual(CanvassWebApp.segments("/"), [])
        XCTAssertEqual(CanvassWebApp.segments(""), [])
        XCTAssertEqual(CanvassWebApp.segments("/ŵ/✓x"), ["ŵ", "✓x"])
    }
}
