// The dashboard's and the arbitrator console's tables (cases, API keys, webhook endpoints,
// deliveries, escrow, the arbitrator's queues): one markup for all of them. A focusable region that scrolls sideways on its own when the table is wider than the
// screen, named by the heading it sits under; column headers; and each cell labelled with its
// column (data-label), which the phone layout prints before the value when rows become cards.
import type { ReactNode } from 'react';

type DataAttributes = { [name: `data-${string}`]: string | undefined };

export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
  /** Extra attributes of this column's cells (a test id, a class). */
  cellProps?(row: T): DataAttributes & { className?: string };
}

export interface DataTableProps<T> {
  /** The id of the heading that names the table (its region is labelled by it). */
  labelledBy: string;
  /** Classes beside `cases`, the dashboard table style. */
  className?: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey(row: T): string;
  /** Extra attributes of a row (a test id, data the tests read). */
  rowProps?(row: T): DataAttributes;
  /** Extra attributes of the table (a test id). */
  tableProps?: DataAttributes;
}

export function DataTable<T>({ labelledBy, className, columns, rows, rowKey, rowProps, tableProps }: DataTableProps<T>) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className={className ? `cases ${className}` : 'cases'} {...tableProps}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.header}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((c) => (
                <td key={c.header} data-label={c.header} {...c.cellProps?.(row)}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
