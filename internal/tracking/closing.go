package tracking

import (
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Closing is the working group's closing report 跟踪监督报告: the day, a
// summary of the tracking, and the group's conclusions on what it found.
// The report also lists, as the store reads them at print time, the
// findings (node findings confirmed or dismissed, records pointing to a
// violation and the clues they became) and the recommendations with the
// state of their rectification.
type Closing struct {
	On          domain.Date
	Summary     string
	Conclusions string
}

// MaxClosingText is the longest text of a closing report field.
const MaxClosingText = 10000

// Validate checks a closing report made on today, of a group whose period
// started on started (zero when unknown).
func (c *Closing) Validate(today, started domain.Date) error {
	c.Summary, c.Conclusions = strings.TrimSpace(c.Summary), strings.TrimSpace(c.Conclusions)
	fe := domain.FieldErrors{}
	checkOn(fe, "on", c.On, today, started)
	checkText(fe, "summary", "跟踪监督情况", c.Summary, MaxClosingText, true)
	checkText(fe, "conclusions", "结论和意见", c.Conclusions, MaxClosingText, true)
	return fe.Err()
}

// Pending is what is still owed on a tracking before it may close.
type Pending struct {
	OpenFindings     int // late or missing nodes the group has not yet confirmed or dismissed
	ViolationsUnsent int // records pointing to a violation not yet handed on as a clue
}

// CloseBlockers says, in Chinese, why a tracking with p owed may not close
// yet: every node finding is decided, and everything pointing to a
// violation is handed on as a clue (seed 五.2), before the report is made.
func CloseBlockers(p Pending) []string {
	var out []string
	if p.OpenFindings > 0 {
		out = append(out, fmt.Sprintf("尚有%d个流程节点问题未确认或排除", p.OpenFindings))
	}
	if p.ViolationsUnsent > 0 {
		out = append(out, fmt.Sprintf("尚有%d条涉嫌违纪违法的记录未移交问题线索", p.ViolationsUnsent))
	}
	return out
}

// PeriodOver reports whether a tracking at step with a group period ending
// on to is past its period on today without a closing report: the group
// leader owes the report.
func PeriodOver(step Step, to, today domain.Date) bool {
	return step == StepTracking && !to.IsZero() && to.Before(today)
}
