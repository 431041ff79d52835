package main

import (
	"flag"
	"os"

	"github.com/zhilian/zhilian/internal/app"
)

// integrityFlags declares the flag of the integrity records' early-warning
// rules; app.Config.Validate reads and checks the file before the
// database is touched.
func integrityFlags(fs *flag.FlagSet, cfg *app.Config) {
	fs.StringVar(&cfg.WarningRulesFile, "warning-rules", os.Getenv("ZHILIAN_WARNING_RULES"),
		`JSON array of the early-warning rules of the integrity records (廉政档案), each {"id", "enabled", "count", "months", "share", "reason"}, `+
			`changing the defaults; ids: category3, same_party, trip_pattern, last_day, long_open`)
}
