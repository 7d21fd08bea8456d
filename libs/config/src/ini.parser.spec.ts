import { ConfigIssues } from './config-error';
import { parseIni } from './ini.parser';

describe('parseIni (Netdata appconfig rules)', () => {
  it('reads sections, trims names and values, keeps everything after the first =', () => {
    const issues = new ConfigIssues();
    const doc = parseIni('[web]\n  default port   =  19999  \n\tbind to = a=b=c # not a comment\n', 'n.conf', issues);
    const web = doc.sections.get('web');
    expect(web?.options.get('default port')).toEqual({ name: 'default port', value: '19999', file: 'n.conf', line: 2 });
    expect(web?.options.get('bind to')?.value).toBe('a=b=c # not a comment');
    expect(issues.warnings).toEqual([]);
  });

  it('skips blank and # lines, counts lines for FILE:LINE', () => {
    const doc = parseIni('# c\n\n[s]\n   # x = 1\nx = 2\n', 'f', new ConfigIssues());
    expect(doc.sections.get('s')?.options.get('x')).toMatchObject({ value: '2', line: 5 });
    expect(doc.sections.get('s')?.line).toBe(3);
  });

  it('keeps the last value of a repeated option and merges repeated sections', () => {
    const doc = parseIni('[s]\na = 1\n[t]\n[s]\na = 2\nb = 3\n', 'f', new ConfigIssues());
    expect(doc.sections.get('s')?.options.get('a')).toMatchObject({ value: '2', line: 5 });
    expect(doc.sections.get('s')?.options.get('b')?.value).toBe('3');
  });

  it('is case-sensitive for section and option names', () => {
    const doc = parseIni('[Web]\nDefault Port = 1\n', 'f', new ConfigIssues());
    expect(doc.sections.get('web')).toBeUndefined();
    expect(doc.sections.get('Web')?.options.get('default port')).toBeUndefined();
  });

  it('takes a section name between the brackets as is, spaces included', () => {
    const doc = parseIni('[ web ]\na = 1\n', 'f', new ConfigIssues());
    expect([...doc.sections.keys()]).toEqual([' web ']);
  });

  it('allows an empty value', () => {
    const doc = parseIni('[stream]\ndestination =\n', 'f', new ConfigIssues());
    expect(doc.sections.get('stream')?.options.get('destination')?.value).toBe('');
  });

  it('warns with FILE:LINE about a line without =, an empty name, and options outside sections', () => {
    const issues = new ConfigIssues();
    parseIni('orphan = 1\n[s]\njust words\n = 5\n', 'x.conf', issues);
    expect(issues.warnings.map((w) => w.message)).toEqual([
      "x.conf:1: ignoring option 'orphan': it is outside all sections",
      "x.conf:3: ignoring line 'just words': there is no = in it",
      "x.conf:4: ignoring line '= 5': the option name is empty",
    ]);
    expect(issues.errors).toEqual([]);
  });
});
