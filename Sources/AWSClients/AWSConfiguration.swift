import FoundationEssentials
import Settings
import SigV4

/// Credentials, region, endpoints and retry settings, configured the way the AWS SDKs are.
public struct AWSConfiguration: Sendable {
    public var credentials: Credentials
    public var region: String
    /// Every service goes to `endpointURL` (path-style S3) unless its own endpoint is set.
    public var endpointURL, s3EndpointURL, dynamoDBEndpointURL, lambdaEndpointURL: String?
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

    /// Reads the credentials (what a Lambda execution role provides), the region, the endpoint
    /// overrides and the attempts (see `Setting`). Throws naming the first variable that is missing or wrong.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSConfiguration {
        func required(_ setting: Setting) throws -> String {
            guard let found = setting.givenValue(in: environment) else { throw ConfigurationError(variable: setting.variable, reason: "is not set") }
            return found
        }
        func endpoint(_ setting: Setting) throws -> String? {
            guard let url = setting.givenValue(in: environment) else { return nil }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError(variable: setting.variable, reason: "must be an http:// or https:// URL, not \"\(url)\"")
            }
            return url.hasSuffix("/") ? String(url.dropLast()) : url
        }

        let credentials = Credentials(accessKeyID: try required(.accessKeyID), secretAccessKey: try required(.secretAccessKey),
                                      sessionToken: Setting.sessionToken.givenValue(in: environment))
        guard let region = Setting.region.givenValue(in: environment) ?? Setting.defaultRegion.givenValue(in: environment) else {
            throw ConfigurationError(variable: Setting.region.variable, reason: "is not set (nor \(Setting.defaultRegion.variable))")
        }
        var retryPolicy = RetryPolicy.standard
        if let attempts = Setting.maxAttempts.givenValue(in: environment) {
            guard let count = Int(attempts), count >= 1 else {
                throw ConfigurationError(variable: Setting.maxAttempts.variable, reason: "must be a whole number of at least 1, not \"\(attempts)\"")
            }
            retryPolicy.maxAttempts = count
        }
        return AWSConfiguration(credentials: credentials, region: region, endpointURL: try endpoint(.endpointURL),
                                s3EndpointURL: try endpoint(.s3EndpointURL), dynamoDBEndpointURL: try endpoint(.dynamoDBEndpointURL),
                                lambdaEndpointURL: try endpoint(.lambdaEndpointURL), retryPolicy: retryPolicy)
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
