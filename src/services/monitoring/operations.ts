/**
 * @module
 * Amazon CloudWatch metrics and alarms (signing name `monitoring`). The model is awsJson1_0 with
 * awsQueryCompatible; Custos also answers its awsQuery and Smithy RPC v2 CBOR forms (the AWS CLI
 * speaks the latter). Metric reads and writes are CloudTrail data events, as on AWS.
 */
import { loadModel } from '../../protocol/model.js';
import type { BackgroundWork, CallContext, OperationSpec, ServiceDefinition, ServiceEnvironment } from '../service.js';
import { alarmActionSubscriber } from './alarm-actions.js';
import { AlarmEvaluator } from './alarm-evaluator.js';
import {
  deleteAlarms, describeAlarms, describeAlarmsForMetric, disableAlarmActions, enableAlarmActions, putMetricAlarm, setAlarmState,
} from './alarm-handlers.js';
import { describeAlarmHistory } from './alarm-history.js';
import { alarmArn } from './alarms.js';
import { ValidationException } from './errors.js';
import { getMetricData } from './get-metric-data.js';
import { getMetricStatistics, listMetrics, putMetricData } from './metric-data-handlers.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';

type Scoped = Pick<CallContext, 'scope'>;

const onAlarm = (input: { AlarmName?: string }, ctx: Scoped) => [alarmArn(ctx.scope, input.AlarmName ?? '*')];
const onAlarms = (input: { AlarmNames?: string[] }, ctx: Scoped) => (input.AlarmNames ?? []).map((name) => alarmArn(ctx.scope, name));
const onArn = (input: { ResourceARN?: string }) => [input.ResourceARN ?? '*'];

function spec<I>(handler: OperationSpec<I>['handler'], extra: Omit<OperationSpec<I>, 'handler'> = {}): OperationSpec<I> {
  return { handler, ...extra };
}

function background(env: ServiceEnvironment): BackgroundWork {
  const evaluator = new AlarmEvaluator(env);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  return {
    subscribers: [evaluator.subscriber(), alarmActionSubscriber(env)],
    start() {
      timer = setInterval(() => {
        running ??= evaluator.evaluateAll()
          .catch((err: unknown) => env.logger.warn({ err }, 'scheduled alarm evaluation failed'))
          .finally(() => (running = undefined));
      }, env.settings.alarmEvaluationInterval * 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The CloudWatch service definition. */
export function monitoringService(): ServiceDefinition {
  return {
    model: loadModel('cloudwatch'),
    eventSource: 'monitoring.amazonaws.com',
    errorStyle: 'json',
    validationError: (messages) => new ValidationException(messages),
    operations: {
      DeleteAlarms: spec(deleteAlarms, { resources: onAlarms }),
      DescribeAlarmHistory: spec(describeAlarmHistory),
      DescribeAlarms: spec(describeAlarms),
      DescribeAlarmsForMetric: spec(describeAlarmsForMetric),
      DisableAlarmActions: spec(disableAlarmActions, { resources: onAlarms }),
      EnableAlarmActions: spec(enableAlarmActions, { resources: onAlarms }),
      GetMetricData: spec(getMetricData, { category: 'Data' }),
      GetMetricStatistics: spec(getMetricStatistics, { category: 'Data' }),
      ListMetrics: spec(listMetrics, { category: 'Data' }),
      ListTagsForResource: spec(listTagsForResource, { resources: onArn }),
      PutMetricAlarm: spec(putMetricAlarm, { resources: onAlarm }),
      PutMetricData: spec(putMetricData, { category: 'Data' }),
      SetAlarmState: spec(setAlarmState, { resources: onAlarm }),
      TagResource: spec(tagResource, { resources: onArn }),
      UntagResource: spec(untagResource, { resources: onArn }),
    },
    background,
  };
}
