import Crypto
import Foundation
import NIOPosix
import _CryptoExtras
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

    /// Compares Unicode scalars of the NFC pattern with those of the canonical (NFC) subject.
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
/// {"users":  [{"name": "ci", "password": "pbkdf2-sha256$600000$<salt b64>$<hash b64>",
///              "grants": [{"subjects": "orders-*", "access": "write"}]}],
///  "tokens": [{"name": "reader", "sha256": "<hex of the token's SHA-256>",
///              "grants": [{"subjects": "*", "access": "read"}]}]}
/// ```
///
/// `write` includes `read`; `admin` includes both and is needed for config and mode changes. A missing or
/// wrong credential is 401; a denied request is 403 with the same body whether or not the subject exists.
///
/// Failed logins are made cheap for the server and useless for guessing names: an unknown user costs the same
/// PBKDF2 run as a wrong password (against a decoy hash with the default parameters); hashing runs on a
/// small pool of threads off the request executor, at most `hashingConcurrency` at a time; a failed header
/// is remembered (its SHA-256) so repeating it costs nothing; and a client address or user name with more
/// than `maxFailures` failures within `failureWindow` is answered 429 without hashing until the window
/// passes. Verified headers are cached too, so a valid client pays PBKDF2 once. `reload()` re-reads the file
/// (SIGHUP), dropping both caches, so revoking a credential needs no restart.
public final class Authenticator: Sendable {
    struct User: Sendable {
        var iterations: Int
        var salt: [UInt8]
        var hash: [UInt8]
        var grants: [Grant]
    }

    struct Credentials: Sendable {
        var users: [String: User]
        var tokens: [String: Principal]
        /// Hashed against when the user is unknown, with the iteration count most users have, so an unknown
        /// name costs what a known one does.
        var decoy: User

        init(users: [String: User], tokens: [String: Principal]) {
            self.users = users
            self.tokens = tokens
            var counts: [Int: Int] = [:]
            for user in users.values { counts[user.iterations, default: 0] += 1 }
            let iterations =
                counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? Authenticator.defaultIterations
            let salt = (0..<Authenticator.saltBytes).map { _ in UInt8.random(in: 0...255) }
            decoy = User(iterations: iterations, salt: salt, hash: [UInt8](repeating: 0, count: 32), grants: [])
        }
    }

    /// Current guidance (OWASP, 2023) for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000
    /// The fewest iterations a password hash may have; the server refuses an auth file with weaker ones.
    public static let minimumIterations = 100_000
    /// Salt bytes of new hashes, and the fewest a stored hash may have.
    static let saltBytes = 16

    let enabled: Bool
    let path: String?
    let credentials: Mutex<Credentials>
    /// Verified `Authorization` headers (by SHA-256) → principal, so PBKDF2 runs once per credential.
    let verified = Mutex<[String: Principal]>([:])
    /// Headers (by SHA-256) that failed, answered 401 without hashing again.
    let failed = Mutex<[String: ContinuousClock.Instant]>([:])
    let limiter: FailureLimiter
    let hashing: HashingGate

    /// Failed attempts a client address, or a user name, may make per `failureWindow` before 429, by default.
    public static let defaultMaxFailures = 50
    public static let failureWindow: Duration = .seconds(60)
    /// Password hashes computed at once: half the cores (at least one), so requests with verified
    /// credentials keep a core however many bad passwords arrive.
    public static let hashingConcurrency = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    /// Logins waiting for a hashing slot beyond this are answered 429 at once.
    public static let maxHashingQueue = 64

    /// No authentication: every request may do everything.
    public static let disabled = Authenticator(enabled: false, path: nil, credentials: Credentials(users: [:], tokens: [:]))

    init(enabled: Bool, path: String?, credentials: Credentials, maxFailures: Int = defaultMaxFailures) {
        self.enabled = enabled
        self.path = path
        self.credentials = Mutex(credentials)
        self.limiter = FailureLimiter(maxFailures: max(maxFailures, 1), window: Self.failureWindow)
        self.hashing = HashingGate(limit: Self.hashingConcurrency, maxWaiting: Self.maxHashingQueue)
    }

    public var isEnabled: Bool { enabled }

    /// Reads an auth file; errors name the entry that is wrong. `maxFailures` failed logins per minute from
    /// one client address, or for one user name, are allowed before 429.
    public convenience init(file path: String, maxFailures: Int = defaultMaxFailures) throws {
        self.init(enabled: true, path: path, credentials: try Self.load(path), maxFailures: maxFailures)
    }

    /// Re-reads the auth file (on SIGHUP). A file that no longer reads keeps the credentials in force and
    /// throws; otherwise every cached verification is dropped, so a removed user or grant stops working now.
    public func reload() throws {
        guard enabled, let path else { return }
        let fresh = try Self.load(path)
        credentials.withLock { $0 = fresh }
        verified.withLock { $0.removeAll() }
        failed.withLock { $0.removeAll() }
    }

    static func load(_ path: String) throws -> Credentials {
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
            guard parts.count == 4, parts[0] == "pbkdf2-sha256", let iterations = Int(parts[1]),
                let salt = Data(base64Encoded: parts[2]), let hash = Data(base64Encoded: parts[3]), hash.count == 32
            else {
                throw AuthConfigError(
                    "\(path): users[\(index)].password is not a pbkdf2-sha256$ITERATIONS$SALT$HASH string (make one with `accord auth hash-password`)")
            }
            guard iterations >= minimumIterations, iterations <= 10_000_000, salt.count >= saltBytes else {
                throw AuthConfigError(
                    "\(path): users[\(index)].password is too weak: at least \(minimumIterations) iterations and a \(saltBytes)-byte salt (make one with `accord auth hash-password`)")
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
        return Credentials(users: users, tokens: tokens)
    }

    private static func grants(_ value: JSONValue?, at location: String) throws -> [Grant] {
        var grants: [Grant] = []
        for (index, item) in (value?.arrayValue ?? []).enumerated() {
            guard let object = item.objectValue, let pattern = object["subjects"]?.stringValue,
                let accessName = object["access"]?.stringValue, let access = Access(name: accessName)
            else { throw AuthConfigError("\(location).grants[\(index)] needs subjects and access (read, write or admin)") }
            // Patterns are compared with canonical (NFC) subject names, so they are kept in NFC too.
            grants.append(Grant(pattern: SubjectName.nfc(pattern), access: access))
        }
        return grants
    }

    // MARK: Requests

    /// The principal behind an `Authorization` header; nil when authentication is off. `client` names the
    /// caller's address for rate limiting.
    func authenticate(_ header: String?, client: String) async throws(RegistryError) -> Principal? {
        guard enabled else { return nil }
        guard let header, !header.isEmpty, header.utf8.count <= 8192 else { throw Self.unauthorized }
        let key = Self.hex(SHA256.hash(data: Array(header.utf8)))
        if let known = verified.withLock({ $0[key] }) { return known }
        let now = ContinuousClock.now
        if limiter.isLimited(client: client, user: nil, at: now) { throw Self.tooManyFailures }
        if let failedAt = failed.withLock({ $0[key] }), now - failedAt < Self.failureWindow {
            limiter.record(client: client, user: nil, at: now)
            throw Self.unauthorized
        }
        let principal: Principal
        if header.lowercased().hasPrefix("bearer ") {
            let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
            let found = credentials.withLock { $0.tokens[Self.hex(SHA256.hash(data: Array(token.utf8)))] }
            guard let found else {
                try fail(key, client: client, user: nil, at: now)
            }
            principal = found
        } else if header.lowercased().hasPrefix("basic ") {
            let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard let data = Data(base64Encoded: encoded), let pair = String(data: data, encoding: .utf8),
                let colon = pair.firstIndex(of: ":")
            else { try fail(key, client: client, user: nil, at: now) }
            let name = String(pair[..<colon])
            let password = String(pair[pair.index(after: colon)...])
            if limiter.isLimited(client: client, user: name, at: now) { throw Self.tooManyFailures }
            let (user, decoy) = credentials.withLock { ($0.users[name], $0.decoy) }
            // Unknown users hash against the decoy: the same work, the same answer time.
            let checked = user ?? decoy
            guard
                let derived = await hashing.run({
                    Self.pbkdf2(Array(password.utf8), salt: checked.salt, iterations: checked.iterations)
                })
            else { throw Self.tooManyFailures }
            guard let user, Self.constantTimeEqual(derived, user.hash) else {
                try fail(key, client: client, user: name, at: now)
            }
            principal = Principal(name: name, grants: user.grants)
        } else {
            try fail(key, client: client, user: nil, at: now)
        }
        verified.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[key] = principal
        }
        return principal
    }

    /// Records a failure (remembered header, limiter counts) and throws 401; later attempts see the limit.
    private func fail(_ key: String, client: String, user: String?, at now: ContinuousClock.Instant) throws(RegistryError) -> Never {
        failed.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[key] = now
        }
        limiter.record(client: client, user: user, at: now)
        throw Self.unauthorized
    }

    static let unauthorized = RegistryError(code: 401, "Unauthorized")
    static let tooManyFailures = RegistryError(code: 429, "Too many failed authentication attempts; try again later")

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

    /// `subject` must already be canonical (`SubjectName.canonical`), as every route makes it.
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

    /// What `principal` may read, for the core's reads on its behalf (references, referrers).
    func readAccess(_ principal: Principal?) -> ReadAccess {
        guard enabled, !allowsEverything(principal, .read) else { return .everything }
        return ReadAccess { [self] subject in allows(principal, .read, subject: subject) }
    }

    // MARK: Hashing

    /// PBKDF2-HMAC-SHA256 with a 32-byte output (RFC 8018), BoringSSL's implementation.
    public static func pbkdf2(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: max(iterations, 1))
        return key.map { $0.withUnsafeBytes { Array($0) } } ?? []
    }

    /// A password hash for the auth file: `pbkdf2-sha256$ITERATIONS$SALT$HASH` with a random 16-byte salt.
    public static func hashPassword(_ password: String, iterations: Int = defaultIterations) -> String {
        let salt = (0..<saltBytes).map { _ in UInt8.random(in: 0...255) }
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

/// Failed authentications per client address and per user name in a fixed window; over `maxFailures` in
/// one window, the key is refused (429) until the window passes. Bounded: at most 100,000 keys are kept.
final class FailureLimiter: Sendable {
    private struct Window {
        var start: ContinuousClock.Instant
        var count: Int
    }

    private let windows = Mutex<[String: Window]>([:])
    let maxFailures: Int
    let window: Duration

    init(maxFailures: Int, window: Duration) {
        self.maxFailures = maxFailures
        self.window = window
    }

    func record(client: String, user: String?, at now: ContinuousClock.Instant) {
        windows.withLock { windows in
            if windows.count > 100_000 { windows = windows.filter { now - $0.value.start < window } }
            for key in ["c:" + client] + (user.map { ["u:" + $0] } ?? []) {
                if var current = windows[key], now - current.start < window {
                    current.count += 1
                    windows[key] = current
                } else {
                    windows[key] = Window(start: now, count: 1)
                }
            }
        }
    }

    func isLimited(client: String, user: String?, at now: ContinuousClock.Instant) -> Bool {
        windows.withLock { windows in
            for key in ["c:" + client] + (user.map { ["u:" + $0] } ?? []) {
                if let current = windows[key], now - current.start < window, current.count >= maxFailures { return true }
            }
            return false
        }
    }
}

/// Runs password hashing on NIO's blocking thread pool, at most `limit` at once and at most `maxWaiting`
/// queued, so failed logins can neither occupy the request executor nor every core nor unbounded memory.
final class HashingGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    private let state = Mutex(State())
    let limit: Int
    let maxWaiting: Int

    init(limit: Int, maxWaiting: Int) {
        self.limit = max(limit, 1)
        self.maxWaiting = max(maxWaiting, 0)
    }

    /// nil when the queue is full, or the thread pool has shut down (the server is stopping).
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        guard await acquire() else { return nil }
        defer { release() }
        return try? await NIOThreadPool.singleton.runIfActive(work)
    }

    private func acquire() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer: Bool? = state.withLock { state in
                if state.running < limit {
                    state.running += 1
                    return true
                }
                guard state.waiting.count < maxWaiting else { return false }
                state.waiting.append(continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Hands the slot to the next waiter, if any (the running count stays), else frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: true)
    }
}

/// A problem in the auth file.
public struct AuthConfigError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
