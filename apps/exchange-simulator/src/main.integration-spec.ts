import { describeServiceStartup } from '@model-service/platform/testing';

describeServiceStartup('exchange-simulator');
