import Crypto
import Foundation
import JSONSupport
import RegistryCore
import Synchronization

/// Who made a request, and what they may do.
public struct Principal: Sendable, Hashable {
    public var name: String
    public var grants: [Grant]
}

/// Access to the subjects a pattern matches: `*` any run of characters, `?` one; `*` alone is every subject
/// and the global config and mode.
public struct Grant: Sendable, Hashable {
    public var pattern: String
    public var access: Access

    func matches(_ subject: String) -> Bool {
        Self.glob(Array(pattern.unicodeScalars)[...], Array(subject.unicodeScalars)[...])
    }

    private static func glob(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = pattern.startIndex, t = text.startIndex
        var star: Int? = nil, mark = text.startIndex
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.endIndex, pattern[p] == "*" {
                star = p; mark = t; p += 1
            } else if let s = star {
                p = s + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}

/// HTTP basic (PBKDF2-SHA256 salted password hashes) and bearer tokens (stored as SHA-256), with grants per
/// subject pattern, read from a JSON file:
///
/// ```json
/// {"users":  [{"name": "ci", "password": "pbkdf2-sha256$100000$<salt b64>$<hash b64>",
///              "grants": [{"subjects": "orders-*", "access": "write"}]}],
///  "tokens": [{"name": "reader", "sha256": "<hex of the token's SHA-256>",
///              "grants": [{"subjects": "*", "access": "read"}]}]}
/// ```
///
/// `write` includes `read`; `admin` includes both and is needed for config and mode changes. A missing or
/// wrong credential is 401; a denied request is 403 with the same body whether or not the subject exists.
public final class Authenticator: Sendable {
    struct User: Sendable {
        var iterations: Int
        var salt: [UInt8]
        var hash: [UInt8]
        var grants: [Grant]
    }

    let enabled: Bool
    let users: [String: User]
    let tokens: [String: Principal]
    /// Verified `Authorization` headers (by SHA-256) → principal, so PBKDF2 runs once per credential.
    let verified = Mutex<[String: Principal]>([:])

    /// No authentication: every request may do everything.
    public static let disabled = Authenticator(enabled: false, users: [:], tokens: [:])

    init(enabled: Bool, users: [String: User], tokens: [String: Principal]) {
        self.enabled = enabled
        self.users = users
        self.tokens = tokens
    }

    public var isEnabled: Bool { enabled }

    /// Reads an auth file; errors name the entry that is wrong.
    public convenience init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuthConfigError("cannot read the auth file \(path)")
        }
        guard case .object(let root) = try JSONParser.parse([UInt8](data)) else {
            throw AuthConfigError("\(path): the auth file must be a JSON object")
        }
        var users: [String: User] = [:]
        for (index, entry) in (root["users"]?.arrayValue ?? []).enumerated() {
            guard let object = entry.objectValue, let name = object["name"]?.stringValue,
                let password = object["password"]?.stringValue
            else { throw AuthConfigError("\(path): users[\(index)] needs a name and a password hash") }
            let parts = password.split(separator: "$").map(String.init)
            guard parts.count == 4, parts[0] == "pbkdf2-sha256", let iterations = Int(parts[1]), iterations >= 1,
                let salt = Data(base64Encoded: parts[2]), let hash = Data(base64Encoded: parts[3])
            else {
                throw AuthConfigError(
                    "\(path): users[\(index)].password is not a pbkdf2-sha256$ITERATIONS$SALT$HASH string (make one with `accord auth hash-password`)")
            }
            users[name] = User(
                iterations: iterations, salt: [UInt8](salt), hash: [UInt8](hash),
                grants: try Self.grants(object["grants"], at: "\(path): users[\(index)]"))
        }
        var tokens: [String: Principal] = [:]
        for (index, entry) in (root["tokens"]?.arrayValue ?? []).enumerated() {
            guard let object = entry.objectValue, let name = object["name"]?.stringValue,
                let digest = object["sha256"]?.stringValue?.lowercased(), digest.count == 64
            else { throw AuthConfigError("\(path): tokens[\(index)] needs a name and a sha256 hex digest") }
            tokens[digest] = Principal(name: name, grants: try Self.grants(object["grants"], at: "\(path): tokens[\(index)]"))
        }
        self.init(enabled: true, users: users, tokens: tokens)
    }

    private static func grants(_ value: JSONValue?, at location: String) throws -> [Grant] {
        var grants: [Grant] = []
        for (index, item) in (value?.arrayValue ?? []).enumerated() {
            guard let object = item.objectValue, let pattern = object["subjects"]?.stringValue,
                let accessName = object["access"]?.stringValue, let access = Access(name: accessName)
            else { throw AuthConfigError("\(location).grants[\(index)] needs subjects and access (read, write or admin)") }
            grants.append(Grant(pattern: pattern, access: access))
        }
        return grants
    }

    // MARK: Requests

    /// The principal behind an `Authorization` header; nil when authentication is off.
    func authenticate(_ header: String?) throws(RegistryError) -> Principal? {
        guard enabled else { return nil }
        guard let header, !header.isEmpty else { throw Self.unauthorized }
        let key = Self.hex(SHA256.hash(data: Array(header.utf8)))
        if let known = verified.withLock({ $0[key] }) { return known }
        let principal: Principal
        if header.lowercased().hasPrefix("bearer ") {
            let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
            guard let found = tokens[Self.hex(SHA256.hash(data: Array(token.utf8)))] else { throw Self.unauthorized }
            principal = found
        } else if header.lowercased().hasPrefix("basic ") {
            let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard let data = Data(base64Encoded: encoded), let pair = String(data: data, encoding: .utf8),
                let colon = pair.firstIndex(of: ":")
            else { throw Self.unauthorized }
            let name = String(pair[..<colon])
            let password = String(pair[pair.index(after: colon)...])
            guard let user = users[name],
                Self.constantTimeEqual(Self.pbkdf2(Array(password.utf8), salt: user.salt, iterations: user.iterations), user.hash)
            else { throw Self.unauthorized }
            principal = Principal(name: name, grants: user.grants)
        } else {
            throw Self.unauthorized
        }
        verified.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[key] = principal
        }
        return principal
    }

    static let unauthorized = RegistryError(code: 401, "Unauthorized")

    func forbidden() -> RegistryError {
        RegistryError(code: 403, "Forbidden")
    }

    func checkAuthenticated(_ principal: Principal?) throws(RegistryError) {
        if enabled && principal == nil { throw Self.unauthorized }
    }

    /// Throws 403 unless `principal` has `access` on `subject` (nil: the global scope, which needs a `*` grant).
    func check(_ principal: Principal?, _ access: Access, subject: String?) throws(RegistryError) {
        try checkAuthenticated(principal)
        let allowed = subject.map { allows(principal, access, subject: $0) } ?? allowsEverything(principal, access)
        if !allowed { throw forbidden() }
    }

    func allows(_ principal: Principal?, _ access: Access, subject: String) -> Bool {
        guard enabled else { return true }
        guard let principal else { return false }
        return principal.grants.contains { $0.access >= access && $0.matches(subject) }
    }

    func allowsEverything(_ principal: Principal?, _ access: Access) -> Bool {
        guard enabled else { return true }
        guard let principal else { return false }
        return principal.grants.contains { $0.access >= access && $0.pattern == "*" }
    }

    // MARK: Hashing

    /// PBKDF2-HMAC-SHA256 with a 32-byte output (RFC 8018).
    public static func pbkdf2(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var u = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = u
        for _ in 1..<max(iterations, 1) {
            u = Array(HMAC<SHA256>.authenticationCode(for: u, using: key))
            for index in 0..<result.count { result[index] ^= u[index] }
        }
        return result
    }

    /// A password hash for the auth file: `pbkdf2-sha256$ITERATIONS$SALT$HASH` with a random salt.
    public static func hashPassword(_ password: String, iterations: Int = 100_000) -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let hash = pbkdf2(Array(password.utf8), salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    /// The hex SHA-256 of a bearer token, as the auth file stores it.
    public static func tokenDigest(_ token: String) -> String {
        hex(SHA256.hash(data: Array(token.utf8)))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// A problem in the auth file.
public struct AuthConfigError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
