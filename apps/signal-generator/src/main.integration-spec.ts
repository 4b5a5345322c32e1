import { describeServiceStartup } from '@model-service/platform/testing';

describeServiceStartup('signal-generator');
