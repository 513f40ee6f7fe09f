import FoundationEssentials
import HTTPClient
import LogSink
import RequestContext

/// The DynamoDB calls the function, load-students and register make (JSON 1.0 protocol), each
/// stopping by its context's deadline. Not thread-safe (one HTTP connection): use one client per thread.
public final class DynamoDBClient {
    public typealias Item = [String: AttributeValue]

    /// BatchWriteItem takes at most this many requests per call.
    static let batchSize = 25

    private let endpoint: String
    private let sender: SignedRequestSender

    public init(configuration: AWSConfiguration, http: HTTPClient, log: LogSink = .standardError) {
        endpoint = configuration.endpoint(.dynamoDB)
        sender = SignedRequestSender(service: .dynamoDB, configuration: configuration, http: http, log: log)
    }

    /// Every item whose `name` attribute equals `name`, by a Query on the global secondary index
    /// `index`; when the table has no such index, by a paginated Scan with a filter instead.
    public func queryByName(table: String, index: String = "name-index", name: String, context: RequestContext = .unbounded) throws -> [Item] {
        let condition = NameCondition(name: name)
        do {
            return try paginate(operation: "Query", table: table, context: context) { start in
                QueryInput(TableName: table, IndexName: index, KeyConditionExpression: condition.expression,
                           ExpressionAttributeNames: condition.names, ExpressionAttributeValues: condition.values, ExclusiveStartKey: start)
            }
        } catch let error as AWSError where Self.isMissingIndex(error, index) {
            sender.log("DynamoDB table \(table) has no index \(index) (\(error.message)); scanning it with a filter instead")
            return try paginate(operation: "Scan", table: table, context: context) { start in
                ScanInput(TableName: table, FilterExpression: condition.expression, ExpressionAttributeNames: condition.names,
                          ExpressionAttributeValues: condition.values, ExclusiveStartKey: start)
            }
        }
    }

    /// Deletes the item with this primary key; deleting one that is not there succeeds too.
    public func deleteItem(table: String, key: Item, context: RequestContext = .unbounded) throws {
        let _: EmptyOutput = try call("DeleteItem", table: table, DeleteItemInput(TableName: table, Key: key), context: context)
    }

    /// Puts one item, replacing any with the same key.
    public func putItem(table: String, item: Item, context: RequestContext = .unbounded) throws {
        let _: EmptyOutput = try call("PutItem", table: table, PutItemInput(TableName: table, Item: item), context: context)
    }

    /// Every item whose partition key `keyName` equals `value` (Query, every page), in sort key
    /// order; strongly consistent by default, so that it sees every write finished before it began.
    public func query(table: String, keyName: String, equals value: AttributeValue, consistentRead: Bool = true, context: RequestContext = .unbounded) throws -> [Item] {
        try paginate(operation: "Query", table: table, context: context) { start in
            QueryInput(TableName: table, KeyConditionExpression: "#key = :value", ExpressionAttributeNames: ["#key": keyName],
                       ExpressionAttributeValues: [":value": value], ConsistentRead: consistentRead, ExclusiveStartKey: start)
        }
    }

    /// Puts every item, 25 per call, resubmitting UnprocessedItems with backoff until none is
    /// left or the retry policy's attempts run out.
    public func batchWrite(table: String, items: [Item], context: RequestContext = .unbounded) throws {
        for start in stride(from: 0, to: items.count, by: Self.batchSize) {
            var pending = items[start..<min(start + Self.batchSize, items.count)].map { WriteRequest(PutRequest: .init(Item: $0)) }
            var attempt = 1
            while true {
                let output: BatchWriteItemOutput = try call("BatchWriteItem", table: table,
                                                             BatchWriteItemInput(RequestItems: [table: pending]), context: context)
                pending = output.UnprocessedItems?[table] ?? []
                if pending.isEmpty { break }
                let failure = sender.error("BatchWriteItem", "table \(table)", "UnprocessedItems",
                                           "\(pending.count) items still unprocessed", nil, nil, attempt)
                guard attempt < sender.maxAttempts else { throw failure }
                try sender.pause(beforeRetry: attempt, because: failure, context: context)
                attempt += 1
            }
        }
    }

    // MARK: Protocol

    private func call<Input: Encodable, Output: Decodable>(_ operation: String, table: String, _ input: Input, context: RequestContext) throws -> Output {
        let response = try sender.send(operation: operation, resource: "table \(table)", method: "POST", url: endpoint + "/",
                                       headers: [("Content-Type", "application/x-amz-json-1.0"),
                                                 ("X-Amz-Target", "DynamoDB_20120810.\(operation)")],
                                       body: Array(try JSONEncoder().encode(input)), context: context)
        do {
            return try JSONDecoder().decode(Output.self, from: Data(response.body))
        } catch {
            throw sender.error(operation, "table \(table)", "InvalidResponse", "cannot read the response: \(error)",
                               response.header("x-amzn-RequestId"), response.status)
        }
    }

    private func paginate<Input: Encodable>(operation: String, table: String, context: RequestContext, _ input: (Item?) -> Input) throws -> [Item] {
        var items: [Item] = []
        var start: Item?
        repeat {
            let page: PageOutput = try call(operation, table: table, input(start), context: context)
            items += page.Items ?? []
            start = page.LastEvaluatedKey
        } while start != nil
        return items
    }

    /// AWS answers ValidationException ("The table does not have the specified index: NAME"),
    /// moto ResourceNotFoundException ("Invalid index: NAME for table: ..."); a missing table
    /// names no index.
    static func isMissingIndex(_ error: AWSError, _ index: String) -> Bool {
        ["ValidationException", "ResourceNotFoundException"].contains(error.code)
            && error.message.lowercased().contains("index") && error.message.contains(index)
    }
}

// MARK: Wire shapes (field names are DynamoDB's)

private struct NameCondition {
    let name: String
    let expression = "#name = :name"
    let names = ["#name": "name"]
    var values: [String: AttributeValue] { [":name": .s(name)] }
}

private struct QueryInput: Encodable {
    let TableName: String
    var IndexName: String? = nil
    let KeyConditionExpression: String
    let ExpressionAttributeNames: [String: String]
    let ExpressionAttributeValues: [String: AttributeValue]
    var ConsistentRead: Bool? = nil
    let ExclusiveStartKey: DynamoDBClient.Item?
}

private struct PutItemInput: Encodable {
    let TableName: String
    let Item: DynamoDBClient.Item
}

private struct EmptyOutput: Decodable {}

private struct ScanInput: Encodable {
    let TableName: String
    let FilterExpression: String
    let ExpressionAttributeNames: [String: String]
    let ExpressionAttributeValues: [String: AttributeValue]
    let ExclusiveStartKey: DynamoDBClient.Item?
}

private struct PageOutput: Decodable {
    let Items: [DynamoDBClient.Item]?
    let LastEvaluatedKey: DynamoDBClient.Item?
}

/// A primary key's item: what DeleteItem names.
private struct DeleteItemInput: Encodable {
    let TableName: String
    let Key: DynamoDBClient.Item
}

private struct WriteRequest: Codable {
    struct Put: Codable { let Item: DynamoDBClient.Item }
    let PutRequest: Put
}

private struct BatchWriteItemInput: Encodable {
    let RequestItems: [String: [WriteRequest]]
}

private struct BatchWriteItemOutput: Decodable {
    let UnprocessedItems: [String: [WriteRequest]]?
}
