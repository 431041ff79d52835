package tracking

import (
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// Consultation is the record of the consultation 会商 of 执行局,
// 纪检监察组 and 监察室 on a case the bureau proposes to track: when and
// where it met, who took part for each body, and the minutes. Each body's
// 同意 / 不同意 is entered after it, by a user of that body (Opinion).
type Consultation struct {
	Date         domain.Date
	Place        string
	Participants map[domain.Role]string // per body, the names of those who took part
	Minutes      string
}

// Validate checks a consultation record held by today, one message per
// form field.
func (c *Consultation) Validate(today domain.Date) error {
	fe := domain.FieldErrors{}
	switch {
	case c.Date.IsZero():
		fe.Add("held_on", "请填写会商日期")
	case c.Date.After(today):
		fe.Add("held_on", "会商日期不能晚于今天")
	}
	if utf8.RuneCountInString(strings.TrimSpace(c.Place)) > 100 {
		fe.Add("place", "会商地点不超过100字")
	}
	for _, r := range bodies {
		switch n := utf8.RuneCountInString(strings.TrimSpace(c.Participants[r])); {
		case n == 0:
			fe.Add("people_"+string(r), "请填写"+r.Label()+"参加会商的人员")
		case n > 200:
			fe.Add("people_"+string(r), "参加人员不超过200字")
		}
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(c.Minutes)); {
	case n == 0:
		fe.Add("minutes", "请填写会商纪要")
	case n > 5000:
		fe.Add("minutes", "会商纪要不超过5000字")
	}
	return fe.Err()
}
