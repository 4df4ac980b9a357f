/// What stops an XLSForm being turned into a questionnaire, naming the sheet and line.
public struct XLSFormError: Error, Equatable, CustomStringConvertible {
    public var sheet: String
    /// The line in the sheet (1 is the header), or 0 for the sheet as a whole.
    public var line: Int
    public var message: String

    public init(sheet: String, line: Int, message: String) {
        self.sheet = sheet
        self.line = line
        self.message = message
    }

    /// "survey sheet, line 4: …"; a part of the workbook that is not a sheet ("workbook",
    /// "xl/workbook.xml") is named as it is.
    public var description: String {
        let place = sheet == "workbook" || sheet.hasSuffix(".xml") || sheet.hasSuffix(".rels") || sheet.hasSuffix(" sheet") ? sheet : "\(sheet) sheet"
        return line > 0 ? "\(place), line \(line): \(message)" : "\(place): \(message)"
    }
}
