package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints the report for a person: the import and the jobs,
// then one line per page with its raw-engine baseline and the ratio.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "zhilian bench: %d cases on %s, %d connections × %.0f s per page; load average %s\n\n", r.Cases, r.Engine, r.Conns, r.DurationS, r.Load)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tzhilian\traw engine\tratio\tpeak RSS MB\t")
	fmt.Fprintf(tw, "import %d rows (%.0f rows/s)\t%.1f s\t%.1f s\t× %.1f\t%.0f\t\n", r.Import.Rows, r.Import.RowsPerSec, r.Import.Seconds, r.Import.RawSeconds, r.Import.Ratio, r.Import.RSSMB)
	for _, s := range r.Steps {
		fmt.Fprintf(tw, "%s (%d)\t%.1f s\t\t\t\t\n", s.Name, s.Count, s.Seconds)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page\tp50 ms\tp95 ms\tp99 ms\treq/s\terrors\tSQL\traw p50 ms\tratio\tpeak RSS MB\t")
	for _, p := range r.Pages {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%.0f\t%d\t%d\t%.2f\t× %.1f\t%.0f\t\n", p.Name, p.P50, p.P95, p.P99, p.RPS, p.Errors, p.Statements, p.RawMS, p.Ratio, p.RSSMB)
	}
	tw.Flush()
	for _, s := range r.Steps {
		fmt.Fprintf(w, "\n%s: %s %d", s.Name, s.What, s.Count)
	}
	fmt.Fprintf(w, "\n\nraw engine: import = %s of the same rows into a 3-index table; a page = its own reading statements, prepared once, replayed directly with the same connections (SQL = how many per request, a mean over the page's paths); ratio = p50 / raw p50. Peak RSS of the whole process (server and load).\n",
		map[string]string{"sqlite": "one prepared-INSERT transaction", "postgres": "COPY"}[r.Engine])
	return nil
}
