import { describeServiceStartup } from '@model-service/platform/testing';

describeServiceStartup('api-gateway');
