import CSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Failures to start or run the server, with the system's reason.
public enum HTTPServerError: Error, CustomStringConvertible, Equatable {
    case invalidAddress(String)
    case socket(operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidAddress(let host):
            return "'\(host)' is not an IPv4 address (use 127.0.0.1, 0.0.0.0 or another dotted address)"
        case .socket(let operation, let code):
            let reason = String(cString: strerror(code))
            if operation == "bind" && code == EADDRINUSE { return "cannot listen: the port is already in use (\(reason)); choose another with --port" }
            if operation == "bind" && code == EACCES { return "cannot listen: permission denied for that port (\(reason)); use a port above 1023" }
            return "\(operation) failed: \(reason)"
        }
    }
}
