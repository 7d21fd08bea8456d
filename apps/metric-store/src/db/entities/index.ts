import { ChartLabelEntity } from './chart-label.entity';
import { ChartEntity } from './chart.entity';
import { DimensionEntity } from './dimension.entity';
import { HostLabelEntity } from './host-label.entity';
import { HostEntity } from './host.entity';
import { PageEntity } from './page.entity';
import { VariableEntity } from './variable.entity';

export const STORE_ENTITIES = [HostEntity, HostLabelEntity, ChartEntity, ChartLabelEntity, DimensionEntity, VariableEntity, PageEntity];
