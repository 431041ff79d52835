package app

import (
	"fmt"
	"os"

	"github.com/zhilian/zhilian/internal/oversight"
)

// oversightRules fills in and checks the 反映强烈 rule and reads the
// measures file, so that a bad value stops the start with its reason.
func (c *Config) oversightRules() error {
	if c.Strong == (oversight.StrongRule{}) {
		c.Strong = oversight.DefaultStrongRule()
	}
	if c.Strong.Count < 1 || c.Strong.Months < 1 {
		return fmt.Errorf("反映强烈 rule: --strong-petitions and --strong-months must be at least 1 (got %d and %d)", c.Strong.Count, c.Strong.Months)
	}
	if c.MeasuresFile == "" {
		if c.Measures != nil {
			return c.Measures.Validate()
		}
		return nil
	}
	f, err := os.Open(c.MeasuresFile)
	if err != nil {
		return fmt.Errorf("measures: %w", err)
	}
	defer f.Close()
	if c.Measures, err = oversight.ParseMeasures(f); err != nil {
		return fmt.Errorf("measures %s: %w", c.MeasuresFile, err)
	}
	return nil
}
