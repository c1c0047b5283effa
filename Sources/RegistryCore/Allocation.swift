/// Where a new version goes: Confluent's allocation rules, decided once here for every store.
///
/// - The id: content the registry already holds keeps its id (an IMPORT asking for another id is 42207); an
///   IMPORT's requested id must be free (42205); otherwise one more than the highest id ever allocated.
/// - The version: an IMPORT's requested version must be free (42205); otherwise one more than the subject's
///   highest version, soft-deleted ones included (a version number is never given twice).
/// - Neither goes past 2^31-1 (42205).
public enum Allocation {
    /// The decision for a new version of `state`'s subject. `holderOfRequestedID` is the schema that already has
    /// `requestedID`, if any.
    public static func create(
        subject: String, in state: RegistrationState, requestedID: Int? = nil, requestedVersion: Int? = nil,
        holderOfRequestedID: StoredSchema? = nil
    ) throws(RegistryError) -> RegistrationDecision {
        let id: Int
        if let same = state.sameContent {
            if let requestedID, requestedID != same.id {
                throw .idConflict("Error while registering: schema already registered with id \(same.id) instead of input id \(requestedID)")
            }
            id = same.id
        } else if let requestedID {
            if holderOfRequestedID != nil {
                throw .operationNotPermitted(
                    "Overwrite new schema with id \(requestedID) in context \(RegistryContext.context(of: subject)) is not permitted.")
            }
            id = requestedID
        } else {
            id = try next(after: state.highestSchemaID, "schema id")
        }
        let version: Int
        if let requestedVersion {
            if state.versions.contains(where: { $0.version == requestedVersion }) {
                throw .operationNotPermitted("Version \(requestedVersion) already exists in subject \(subject); cannot overwrite it")
            }
            version = requestedVersion
        } else {
            version = try next(after: state.versions.map(\.version).max() ?? 0, "version in subject \(subject)")
        }
        return .create(id: id, version: version)
    }

    /// One more than `highest`, refused (42205) past 2^31-1, the largest Confluent's API and our columns carry
    /// (an import may have used it).
    static func next(after highest: Int, _ what: String) throws(RegistryError) -> Int {
        guard highest < Int(Int32.max) else {
            throw .operationNotPermitted("No \(what) is left: \(Int32.max) is in use")
        }
        return highest + 1
    }
}
