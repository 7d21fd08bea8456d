export { ConfigError, ConfigIssues, formatLocation } from './config-error';
export type { ConfigLocation, ConfigWarning } from './config-error';
export { parseIni } from './ini.parser';
export type { IniDocument, IniOption, IniSection } from './ini.parser';
export {
  HEALTH_ENABLED_VALUES,
  MEMORY_MODES,
  isGuid,
  parseHealthEnabled,
  parseNetdataBoolean,
  parseNetdataDuration,
} from './netdata-values';
export type { HealthEnabled, MemoryMode } from './netdata-values';
export type { PatternOption } from './option.reader';
export { parseBindTo, parseExportingDestinations, parseStreamDestinations } from './destination.parser';
export type { BindToEntry, HostPort, StreamDestination } from './destination.parser';
export { readNetdataConf } from './netdata-conf.schema';
export type { NetdataConf } from './netdata-conf.schema';
export { readStreamConf } from './stream-conf.schema';
export type { StreamConf, StreamGuidSection, StreamSenderConf } from './stream-conf.schema';
export { readExportingConf } from './exporting-conf.schema';
export type {
  ExportingConf,
  ExportingConnectorKind,
  ExportingDataSource,
  ExportingInstance,
  ExportingOptions,
  PrometheusExporterConf,
} from './exporting-conf.schema';
export { parseHealthFile, parseHealthText } from './health.parser';
export type { HealthParseResult } from './health.parser';
export { parseHealthLookup } from './health-lookup.parser';
export type {
  HealthDefinition,
  HealthDelay,
  HealthLine,
  HealthLookup,
  HealthLookupOption,
  HealthRepeat,
} from './health.types';
export { loadTributaryConfig } from './tributary-config';
export type { TributaryConfig } from './tributary-config';
export { authorizeStream, resolveStreamSettings } from './stream-settings.resolver';
export type { StreamAuthorization, StreamSectionSettings, StreamSettings } from './stream-settings.resolver';
export { defaultStreamConfText, generateApiKey, writeDefaultStreamConf } from './api-key';
