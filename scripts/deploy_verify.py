"""`scripts/deploy --verify`: checks, through the AWS APIs, that the stack holds what template.yaml says.

Each check prints `verify: NAME: ok` or `verify: NAME: FAILED: why`; any failure makes deploy exit 1.
Names are derived from the deploy's parameters, not from stack outputs (moto drops the outputs of
stacks made through change sets, which is what `aws cloudformation deploy` uses).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def partition(region):
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def verify(args, names, enabled):
    try:
        import boto3
    except ImportError:
        sys.exit("deploy: --verify needs boto3: run scripts/setup")
    session = boto3.Session(region_name=args.region)
    s3, dynamodb, functions, iam = (session.client(name) for name in ("s3", "dynamodb", "lambda", "iam"))
    input_bucket, output_bucket = f"{names['prefix']}-input", f"{names['prefix']}-output"
    encoding_bucket = f"{names['prefix']}-encodings"
    with open(args.student_data) as f:
        students = json.load(f)

    def function_configuration():
        return functions.get_function(FunctionName=args.function_name)

    def stack():
        status = session.client("cloudformation").describe_stacks(StackName=args.stack_name)["Stacks"][0]["StackStatus"]
        expect(status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"), f"stack status is {status}")

    def buckets():
        for bucket in (input_bucket, output_bucket, encoding_bucket):
            s3.head_bucket(Bucket=bucket)
        s3.head_object(Bucket=encoding_bucket, Key="encoding")

    def tls_only():
        for bucket in (input_bucket, output_bucket, encoding_bucket):
            statements = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
            expect(any(s.get("Effect") == "Deny" and s.get("Action") == "s3:*"
                       and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false" for s in statements),
                   f"{bucket}'s policy does not deny requests without TLS: {statements}")

    def notification():
        arn = function_configuration()["Configuration"]["FunctionArn"]
        configurations = s3.get_bucket_notification_configuration(Bucket=input_bucket).get("LambdaFunctionConfigurations", [])
        expect(any(c["LambdaFunctionArn"] == arn and "s3:ObjectCreated:*" in c["Events"] for c in configurations),
               f"{input_bucket} does not send s3:ObjectCreated:* to {arn} (it has {configurations})")

    def table():
        description = dynamodb.describe_table(TableName=args.table)["Table"]
        expect(description["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}], f"key schema {description['KeySchema']}")
        types = {a["AttributeName"]: a["AttributeType"] for a in description["AttributeDefinitions"]}
        expect(types == {"id": "N", "name": "S"}, f"attribute types {types}")
        indexes = {i["IndexName"]: i for i in description.get("GlobalSecondaryIndexes", [])}
        expect("name-index" in indexes, f"no name-index (indexes: {sorted(indexes)})")
        expect(indexes["name-index"]["KeySchema"] == [{"AttributeName": "name", "KeyType": "HASH"}]
               and indexes["name-index"]["Projection"]["ProjectionType"] == "ALL", f"name-index is {indexes['name-index']}")
        billing = description.get("BillingModeSummary", {}).get("BillingMode")
        expect(billing == "PAY_PER_REQUEST", f"billing mode {billing}")

    def students_loaded():
        count = dynamodb.scan(TableName=args.table, Select="COUNT")["Count"]
        expect(count == len(students), f"{count} items in {args.table}, {len(students)} in {args.student_data}")
        first = students[0]
        found = dynamodb.query(TableName=args.table, IndexName="name-index", KeyConditionExpression="#n = :n",
                               ExpressionAttributeNames={"#n": "name"},
                               ExpressionAttributeValues={":n": {"S": first["name"]}})["Items"]
        expect([item["major"]["S"] for item in found] == [first["major"]], f"name-index finds {found} for {first['name']}")

    def function():
        described = function_configuration()
        configuration = described["Configuration"]
        expect(described["Code"].get("ImageUri") == names["image"], f"image {described['Code'].get('ImageUri')}")
        expect(configuration["Architectures"] == ["x86_64"], f"architectures {configuration['Architectures']}")
        variables = configuration.get("Environment", {}).get("Variables", {})
        wanted = {"INPUT_BUCKET": input_bucket, "OUTPUT_BUCKET": output_bucket, "STUDENTS_TABLE": args.table,
                  "STUDENTS_INDEX": "name-index", "ENCODING_URI": f"s3://{encoding_bucket}/encoding"}
        expect(all(variables.get(k) == v for k, v in wanted.items()), f"environment {variables}")
        for key, value in (("MemorySize", args.memory), ("Timeout", args.timeout)):
            expect(value is None or configuration[key] == value, f"{key} is {configuration[key]}, not {value}")

    def package_type():
        package = function_configuration()["Configuration"].get("PackageType")
        expect(package == "Image", f"package type {package}")

    def permission():
        statements = json.loads(functions.get_policy(FunctionName=args.function_name)["Policy"])["Statement"]
        source = f"arn:{partition(args.region)}:s3:::{input_bucket}"
        expect(any(s.get("Principal", {}).get("Service") == "s3.amazonaws.com" and s.get("Action") == "lambda:InvokeFunction"
                   and s.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn") == source for s in statements),
               f"no statement lets s3.amazonaws.com invoke it for {source}: {statements}")

    def policy():
        role = function_configuration()["Configuration"]["Role"].rsplit("/", 1)[1]
        document = iam.get_role_policy(RoleName=role, PolicyName="function")["PolicyDocument"]
        if isinstance(document, str):
            document = json.loads(document)
        with open(os.path.join(ROOT, "iam", "function-policy.json")) as f:
            text = f.read()
        key = session.client("cloudformation").describe_stack_resource(
            StackName=args.stack_name, LogicalResourceId="DataKey")["StackResourceDetail"]["PhysicalResourceId"]
        substitutions = {"${AWS::Partition}": partition(args.region), "${AWS::Region}": args.region,
                         "${AWS::AccountId}": names["account"], "${InputBucket}": input_bucket,
                         "${OutputBucket}": output_bucket, "${StudentsTable}": args.table, "${EncodingBucket}": encoding_bucket,
                         "${FailedEventsQueue}": f"{args.function_name}-failed-events", "${FunctionName}": args.function_name,
                         "${RostersBucket}": f"{names['prefix']}-rosters", "${AttendanceTable}": "attendance",
                         "${DataKey}": f"arn:{partition(args.region)}:kms:{args.region}:{names['account']}:key/{key}"}
        for variable, value in substitutions.items():
            text = text.replace(variable, value)
        expect(document == json.loads(text), f"role {role}'s policy \"function\" is {json.dumps(document)}")

    def failure_destination():
        config = functions.get_function_event_invoke_config(FunctionName=args.function_name, Qualifier="$LATEST")
        queue = f":sqs:{args.region}:{names['account']}:{args.function_name}-failed-events"
        destination = config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination", "")
        expect(config.get("MaximumRetryAttempts") in (0, 1, 2) and destination.endswith(queue),
               f"asynchronous invocations: {config.get('MaximumRetryAttempts')} retries, on failure to {destination!r}")

    checks = {"stack": stack, "buckets": buckets, "tls-only": tls_only, "notification": notification, "table": table,
              "students": students_loaded, "function": function, "package-type": package_type,
              "permission": permission, "policy": policy, "failure-destination": failure_destination}
    print()
    failures = 0
    for name, check in checks.items():
        if name not in enabled:
            print(f"verify: {name}: skipped")
            continue
        try:
            check()
            print(f"verify: {name}: ok")
        except Exception as error:  # a check fails on a wrong value or on any API error
            failures += 1
            print(f"verify: {name}: FAILED: {error}")
    if failures:
        sys.exit(f"deploy: {failures} verification check(s) failed")
