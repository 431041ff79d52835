package visit

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// TestConsultationValidateEveryField: a consultation form with several
// blanks is told about each of them, each under its own field, so that the
// page marks every one (issue 17: an empty 指派实地回访人员 was reported
// under another field).
func TestConsultationValidateEveryField(t *testing.T) {
	today := domain.MustDate("2026-11-20")
	c := &Consultation{Date: today, Conclusion: "",
		Participants: map[domain.Role]string{domain.RoleBureau: "甲", domain.RoleDisciplineGroup: "", domain.RoleSupervisionOffice: "丙"},
		Persons:      map[domain.Role]string{domain.RoleBureau: "乙", domain.RoleDisciplineGroup: "丁", domain.RoleSupervisionOffice: ""}}
	var ve *domain.ValidationError
	if err := c.Validate(today); !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want field errors", err)
	}
	want := map[string]string{
		"participants_discipline_group": "请填写" + domain.RoleDisciplineGroup.Label() + "参加会商的人员",
		"person_supervision_office":     "请填写" + domain.RoleSupervisionOffice.Label() + "指派的实地回访人员",
		"conclusion":                    "请填写会商结论",
	}
	if len(ve.Fields) != len(want) {
		t.Errorf("fields %v, want %v", ve.Fields, want)
	}
	for f, m := range want {
		if ve.Fields[f] != m {
			t.Errorf("field %s: %q, want %q", f, ve.Fields[f], m)
		}
	}
	c.Date = today.AddDays(1)
	if err := c.Validate(today); !errors.As(err, &ve) || ve.Fields["consult_date"] != "会商日期不能晚于今天" {
		t.Errorf("a future date: %v", err)
	}
}
