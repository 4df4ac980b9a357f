import XCTest
import JSON
import Hashing

final class JSONParserTests: XCTestCase {
    func testParsesNestedValuesInOrder() throws {
        let value = try JSONParser.parse(#"{"b": [1, 2.5, -3e2, true, null], "a": "x\n\u00e9\ud83d\ude00"}"#)
        XCTAssertEqual(value.members?.map(\.key), ["b", "a"])
        XCTAssertEqual(value["b"], .array([.number(1), .number(2.5), .number(-300), .bool(true), .null]))
        XCTAssertEqual(value["a"]?.string, "x\né😀")
    }

    func testErrorsCarryLineAndColumn() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}")) { error in
            let e = error as! JSONParseError
            XCTAssertEqual(e.line, 3)
            XCTAssertEqual(e.column, 14)
            XCTAssertTrue(e.message.contains("expected a value but found ','"), e.message)
        }
    }

    func testRejectsDuplicateKeysTrailingTextAndBadEscapes() {
        for (text, fragment) in [(#"{"a":1,"a":2}"#, "duplicate key"), ("[1] x", "after the end"),
                                 (#""\q""#, "invalid escape"), ("[1,]", "expected a value"), ("01", "after the end"),
                                 (#""abc"#, "not closed"), ("", "file ended"), ("[" + String(repeating: "[", count: 300), "nesting")] {
            XCTAssertThrowsError(try JSONParser.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
    }

    func testWriterSortsKeysAndEscapes() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": "q\"\u0001", "m": [2.5]}"#)
        XCTAssertEqual(JSONWriter(sortKeys: true).string(value), #"{"a":"q\"\u0001","m":[2.5],"z":1}"#)
        XCTAssertEqual(try JSONParser.parse(JSONWriter(pretty: true).string(value)), value)
    }
}

final class SHA256Tests: XCTestCase {
    // Reference digests: FIPS 180-4 examples / `sha256sum`.
    func testKnownDigests() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testConstantTimeEqualAndTokens() {
        XCTAssertTrue(Hex.constantTimeEqual("abc", "abc"))
        XCTAssertFalse(Hex.constantTimeEqual("abc", "abd"))
        XCTAssertFalse(Hex.constantTimeEqual("abc", "abcd"))
        let token = RandomToken.hex()
        XCTAssertEqual(token.count, 32)
        XCTAssertNotEqual(token, RandomToken.hex())
    }
}
