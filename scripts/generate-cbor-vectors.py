#!/usr/bin/env python3
"""Writes src/protocol/testdata/rpc-v2-cbor-vectors.json, the golden vectors of src/protocol/rpc-v2-cbor.test.ts.

botocore's own Smithy RPC v2 CBOR serializer (the one the AWS CLI uses for CloudWatch) encodes
CloudWatch requests; its CBOR encoder also writes the expected bytes of a few responses (the output
shapes serialised the way a service would), so both directions are checked against an encoder
that is not ours. Timestamps in `params` are epoch seconds.

Usage: python3 scripts/generate-cbor-vectors.py
"""
import datetime
import json
from pathlib import Path

import botocore.session
from botocore.serialize import RpcV2CBORSerializer

OUT = Path(__file__).resolve().parent.parent / 'src' / 'protocol' / 'testdata' / 'rpc-v2-cbor-vectors.json'
T0 = datetime.datetime(2026, 11, 25, 22, 40, 0, 500000, tzinfo=datetime.timezone.utc)

REQUESTS = [
    ('PutMetricAlarm', {
        'AlarmName': 'unauthorized-api-calls', 'MetricName': 'UnauthorizedAPICalls', 'Namespace': 'CISBenchmark',
        'Statistic': 'Sum', 'Period': 300, 'EvaluationPeriods': 1, 'Threshold': 1.0,
        'ComparisonOperator': 'GreaterThanOrEqualToThreshold', 'ActionsEnabled': True,
        'AlarmActions': ['arn:aws:sns:us-east-1:123456789012:alerts'], 'Dimensions': [{'Name': 'Host', 'Value': 'héllo'}],
        'Tags': [{'Key': 'team', 'Value': 'sec'}],
    }),
    ('PutMetricData', {
        'Namespace': 'App',
        'MetricData': [
            {'MetricName': 'Latency', 'Timestamp': T0, 'Value': 12.5, 'Unit': 'Milliseconds', 'StorageResolution': 1},
            {'MetricName': 'Latency', 'Values': [1.0, 2.5, -3.0], 'Counts': [1.0, 2.0, 1.0]},
            {'MetricName': 'Big', 'StatisticValues': {'SampleCount': 100000.0, 'Sum': 1e300, 'Minimum': -1.5, 'Maximum': 2 ** 40}},
        ],
    }),
    ('GetMetricStatistics', {
        'Namespace': 'App', 'MetricName': 'Latency', 'StartTime': T0, 'EndTime': T0 + datetime.timedelta(hours=1),
        'Period': 60, 'Statistics': ['Sum', 'Average'], 'ExtendedStatistics': ['p99.9'],
    }),
    ('DescribeAlarms', {}),
    ('DeleteAlarms', {'AlarmNames': ['a', 'b' * 300]}),
]

RESPONSES = [
    ('DescribeAlarms', {'MetricAlarms': [{
        'AlarmName': 'a', 'StateValue': 'ALARM', 'StateUpdatedTimestamp': T0, 'Threshold': 1.5, 'EvaluationPeriods': 3,
        'ActionsEnabled': False, 'Dimensions': [{'Name': 'Host', 'Value': 'b'}], 'OKActions': [],
    }], 'CompositeAlarms': []}),
    ('GetMetricData', {'MetricDataResults': [{
        'Id': 'm1', 'Label': 'Latency', 'Timestamps': [T0, T0 + datetime.timedelta(minutes=1)], 'Values': [1.0, 2.25], 'StatusCode': 'Complete',
    }], 'Messages': []}),
]


def plain(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main():
    model = botocore.session.get_session().get_service_model('cloudwatch')
    serializer = RpcV2CBORSerializer()
    requests = []
    for name, params in REQUESTS:
        request = serializer.serialize_to_request(params, model.operation_model(name))
        requests.append({
            'operation': name, 'params': plain(params), 'path': request['url_path'],
            'headers': {k: v for k, v in request['headers'].items()}, 'body': request['body'].hex(),
        })
    responses = []
    for name, result in RESPONSES:
        body = bytearray()
        serializer._serialize_data_item(body, result, model.operation_model(name).output_shape)
        responses.append({'operation': name, 'result': plain(result), 'body': bytes(body).hex()})
    OUT.write_text(json.dumps({'generatedBy': 'scripts/generate-cbor-vectors.py', 'requests': requests, 'responses': responses}, indent=1) + '\n')
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
