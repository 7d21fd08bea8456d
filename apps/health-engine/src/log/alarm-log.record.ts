// A log entry as health-engine keeps it: the wire shape plus Netdata's EXEC_RUN flag (a notification went out),
// which decides after a restart whether the next status change repeats a notification already sent.
import type { AlarmLogEntry } from '@tributary/protocol';

export interface AlarmLogRecord extends AlarmLogEntry {
  notified: boolean;
}
