import FoundationEssentials
import SigV4

/// Credentials, region, endpoints and retry settings, configured the way the AWS SDKs are.
public struct AWSConfiguration: Sendable {
    public var credentials: Credentials
    public var region: String
    /// `AWS_ENDPOINT_URL`: every service goes there (path-style S3) unless a per-service one is set.
    public var endpointURL: String?
    /// `AWS_ENDPOINT_URL_S3`
    public var s3EndpointURL: String?
    /// `AWS_ENDPOINT_URL_DYNAMODB`
    public var dynamoDBEndpointURL: String?
    /// `AWS_ENDPOINT_URL_LAMBDA`
    public var lambdaEndpointURL: String?
    public var retryPolicy: RetryPolicy
    /// Seconds allowed for each attempt of a request.
    public var requestTimeout: Double

    public init(credentials: Credentials, region: String, endpointURL: String? = nil, s3EndpointURL: String? = nil,
                dynamoDBEndpointURL: String? = nil, lambdaEndpointURL: String? = nil, retryPolicy: RetryPolicy = .standard,
                requestTimeout: Double = 60) {
        self.credentials = credentials
        self.region = region
        self.endpointURL = endpointURL
        self.s3EndpointURL = s3EndpointURL
        self.dynamoDBEndpointURL = dynamoDBEndpointURL
        self.lambdaEndpointURL = lambdaEndpointURL
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (what a Lambda
    /// execution role provides), `AWS_REGION` or `AWS_DEFAULT_REGION`, the `AWS_ENDPOINT_URL*`
    /// overrides and `AWS_MAX_ATTEMPTS`. Throws naming the first variable that is missing or wrong.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSConfiguration {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func required(_ name: String) throws -> String {
            guard let found = value(name) else { throw ConfigurationError(variable: name, reason: "is not set") }
            return found
        }
        func endpoint(_ name: String) throws -> String? {
            guard let url = value(name) else { return nil }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError(variable: name, reason: "must be an http:// or https:// URL, not \"\(url)\"")
            }
            return url.hasSuffix("/") ? String(url.dropLast()) : url
        }

        let credentials = Credentials(accessKeyID: try required("AWS_ACCESS_KEY_ID"),
                                      secretAccessKey: try required("AWS_SECRET_ACCESS_KEY"),
                                      sessionToken: value("AWS_SESSION_TOKEN"))
        guard let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") else {
            throw ConfigurationError(variable: "AWS_REGION", reason: "is not set (nor AWS_DEFAULT_REGION)")
        }
        var retryPolicy = RetryPolicy.standard
        if let attempts = value("AWS_MAX_ATTEMPTS") {
            guard let count = Int(attempts), count >= 1 else {
                throw ConfigurationError(variable: "AWS_MAX_ATTEMPTS", reason: "must be a whole number of at least 1, not \"\(attempts)\"")
            }
            retryPolicy.maxAttempts = count
        }
        return AWSConfiguration(credentials: credentials, region: region, endpointURL: try endpoint("AWS_ENDPOINT_URL"),
                                s3EndpointURL: try endpoint("AWS_ENDPOINT_URL_S3"),
                                dynamoDBEndpointURL: try endpoint("AWS_ENDPOINT_URL_DYNAMODB"),
                                lambdaEndpointURL: try endpoint("AWS_ENDPOINT_URL_LAMBDA"), retryPolicy: retryPolicy)
    }

    /// The overriding endpoint for a service, if any (a per-service variable wins over the global one).
    func endpointOverride(_ service: Service) -> String? {
        switch service {
        case .s3: return s3EndpointURL ?? endpointURL
        case .dynamoDB: return dynamoDBEndpointURL ?? endpointURL
        case .lambda: return lambdaEndpointURL ?? endpointURL
        }
    }

    /// The service's endpoint: the overriding one, else the regional one (`https://NAME.REGION.amazonaws.com`).
    func endpoint(_ service: Service) -> String {
        endpointOverride(service) ?? "https://\(service.signingName).\(region).\(dnsSuffix)"
    }

    /// `amazonaws.com`, or `amazonaws.com.cn` in the China regions.
    var dnsSuffix: String { region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com" }

    func signer(_ service: Service) -> SigV4Signer {
        SigV4Signer(credentials: credentials, region: region, service: service.signingName)
    }
}

/// The services this package talks to.
enum Service {
    case s3, dynamoDB, lambda

    var signingName: String {
        switch self {
        case .s3: return "s3"
        case .dynamoDB: return "dynamodb"
        case .lambda: return "lambda"
        }
    }

    var displayName: String {
        switch self {
        case .s3: return "S3"
        case .dynamoDB: return "DynamoDB"
        case .lambda: return "Lambda"
        }
    }
}

/// An environment variable the configuration needs is missing or malformed.
public struct ConfigurationError: Error, LocalizedError, CustomStringConvertible {
    public let variable: String
    public let reason: String

    public var errorDescription: String? { "AWS configuration: \(variable) \(reason)" }

    public var description: String { errorDescription ?? "" }
}
