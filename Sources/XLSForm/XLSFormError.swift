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

    public var description: String { line > 0 ? "\(sheet) sheet, line \(line): \(message)" : "\(sheet) sheet: \(message)" }
}
