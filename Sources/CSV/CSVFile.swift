#if canImport(Glibc)
import Glibc
#endif

/// An open file read in chunks for `CSVReader`; closed when released.
final class CSVFile {
    private let descriptor: Int32
    private let path: String

    init(path: String) throws(CSVError) {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CSVError(line: 0, message: "\(path): cannot read the file (no such file or not readable)") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw CSVError(line: 0, message: "\(path): not a regular file")
        }
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes, nil at the end of the file.
    func read(_ count: Int) throws(CSVError) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: count)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw CSVError(line: 0, message: "\(path): read failed (\(String(cString: strerror(errno))))") }
            guard got > 0 else { return nil }
            chunk.removeLast(count - got)
            return chunk
        }
    }
}
