import AWSClients
import ArgumentParser
import HTTPClient

struct Share: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a short-lived HTTPS link to one report (page or CSV) in S3.",
        discussion: """
        The link is a presigned GET (SigV4 query-string signing, made here: nothing is sent to S3): \
        whoever holds it can read that one object until it expires, and nothing else. Reports are \
        never made public: share a link with the teacher who needs the report instead. The page \
        carries its face crops inline, so the link alone shows it whole. The link carries the \
        signing key's id, and a link made with temporary credentials dies with them. AWS is \
        configured from the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, \
        AWS_REGION, and AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) for a local endpoint. The key \
        must be allowed s3:GetObject on the object, or the link will be refused when opened.
        """)

    @Argument(help: ArgumentHelp("The object to share.", valueName: "s3://BUCKET/KEY"))
    var object: String

    @Option(help: ArgumentHelp("How long the link works, in hours (at most \(Self.maximumHours): SigV4's limit).", valueName: "N"))
    var hours: Int = 24

    static let maximumHours = S3Client.maximumPresignedLifetimeSeconds / 3600

    func validate() throws {
        guard (1...Self.maximumHours).contains(hours) else {
            throw ValidationError("--hours \(hours): a link can live 1 to \(Self.maximumHours) hours (7 days, the longest SigV4 signs)")
        }
    }

    func run() throws {
        let location = try S3Location(uri: object)
        guard !location.key.isEmpty, !location.key.hasSuffix("/") else {
            throw ValidationError("\(object): name one object (s3://BUCKET/KEY), not a bucket or a folder")
        }
        let s3 = S3Client(configuration: try AWSConfiguration.fromEnvironment(), http: try HTTPClient())
        print(try s3.presignedGetURL(bucket: location.bucket, key: location.key, expiresInSeconds: hours * 3600))
    }
}
