import {
  graphiteLabel,
  graphiteNamePart,
  graphitePrefixOrHost,
  jsonEscape,
  opentsdbTag,
  prometheusLabelValue,
  prometheusName,
  prometheusNamePart,
  prometheusOldUnits,
  prometheusUnitsSuffix,
} from './name.sanitizers';

describe('exporting name sanitisers', () => {
  it('graphite/opentsdb chart and dimension parts: one _ per non-alnum byte, dots kept, 1200 bytes max', () => {
    expect(graphiteNamePart('system.cpu')).toBe('system.cpu');
    expect(graphiteNamePart('a-b c/d')).toBe('a_b_c_d');
    expect(graphiteNamePart('é')).toBe('__');
    expect(graphiteNamePart('x'.repeat(1300))).toHaveLength(1200);
  });
  it('graphite prefix/hostname: ; and unicode whitespace per byte, everything else kept', () => {
    expect(graphitePrefixOrHost('a;b c\tdé~/:@[]()')).toBe('a_b_c_dé~/:@[]()');
    expect(graphitePrefixOrHost('a\u00a0b\u3000c')).toBe('a__b___c');
  });
  it('graphite label values: whitespace, ; and ~ become _', () => {
    expect(graphiteLabel('x y;z~w.v')).toBe('x_y_z_w.v');
  });
  it('opentsdb tags keep letters, digits, - . / and bytes >= 0x80', () => {
    expect(opentsdbTag('my host=a_b-c.d/e:fé')).toBe('my_host_a_b-c.d/e_fé');
  });
  it('json escaping', () => {
    expect(jsonEscape('a"b\\c\nd\te\u0001')).toBe('a\\"b\\\\c\\nd\\te\\u0001');
  });
  it('prometheus label names: [A-Za-z0-9_:], a UTF-8 character is one _, leading blanks skipped, all-_ is empty', () => {
    expect(prometheusName('  my-label:é')).toBe('my_label:_');
    expect(prometheusName('--')).toBe('');
    expect(prometheusNamePart('system.cpu')).toBe('system_cpu');
    expect(prometheusLabelValue('v'.repeat(300))).toHaveLength(256);
  });
  it('units suffix rules', () => {
    expect(prometheusUnitsSuffix('percentage')).toBe('_percentage');
    expect(prometheusUnitsSuffix('%')).toBe('_percent');
    expect(prometheusUnitsSuffix('KiB/s')).toBe('_KiB_persec');
    expect(prometheusUnitsSuffix('KiB/operation')).toBe('_KiB_operation');
    expect(prometheusUnitsSuffix('/s')).toBe('__s');
    expect(prometheusUnitsSuffix(prometheusOldUnits('KiB/s'))).toBe('_kilobytes_persec');
    expect(prometheusUnitsSuffix(prometheusOldUnits('KiB/operation'))).toBe('_kilobytes_per_operation');
  });
});
