package main

import (
	"errors"
	"flag"
	"os"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/oversight"
)

// oversightFlags declares the flags of the oversight rules: when a case is
// marked 当事人反映强烈, and the measures of the four forms; the
// environment gives their defaults. It returns a check to run after
// parsing.
func oversightFlags(fs *flag.FlagSet, cfg *app.Config) func() error {
	r := oversight.DefaultStrongRule()
	fs.IntVar(&cfg.Strong.Count, "strong-petitions", envInt("ZHILIAN_STRONG_PETITIONS", r.Count),
		"petitions about a case within --strong-months that mark it 当事人反映强烈")
	fs.IntVar(&cfg.Strong.Months, "strong-months", envInt("ZHILIAN_STRONG_MONTHS", r.Months), "the window of --strong-petitions, in months")
	fs.BoolVar(&cfg.Strong.AboveCourt, "strong-above-court", os.Getenv("ZHILIAN_STRONG_ABOVE_COURT") != "false" && os.Getenv("ZHILIAN_STRONG_ABOVE_COURT") != "0",
		"any petition above the court (上级法院, 赴省, 进京) marks its case 当事人反映强烈")
	fs.StringVar(&cfg.MeasuresFile, "measures", os.Getenv("ZHILIAN_MEASURES"),
		"CSV table 形态,措施 of the measures of the four forms, replacing the defaults (the first form keeps 谈话提醒 and 预警约谈)")
	return func() error {
		if cfg.Strong.Count < 1 || cfg.Strong.Months < 1 {
			return errors.New("--strong-petitions and --strong-months must be at least 1")
		}
		return nil
	}
}
