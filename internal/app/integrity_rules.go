package app

import (
	"fmt"
	"os"

	"github.com/zhilian/zhilian/internal/integrity"
)

// integrityRules reads the early-warning rules file of the integrity
// records, or checks the rules given, so that a bad rule stops the start
// with its reason.
func (c *Config) integrityRules() error {
	if c.WarningRulesFile == "" {
		if c.IntegrityRules != nil {
			return c.IntegrityRules.Validate()
		}
		return nil
	}
	f, err := os.Open(c.WarningRulesFile)
	if err != nil {
		return fmt.Errorf("warning rules: %w", err)
	}
	defer f.Close()
	if c.IntegrityRules, err = integrity.ParseRules(f); err != nil {
		return fmt.Errorf("warning rules %s: %w", c.WarningRulesFile, err)
	}
	return nil
}
