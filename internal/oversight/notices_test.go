package oversight

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestNoticeValidate(t *testing.T) {
	ok := Notice{Kind: NoticeTripReview, Title: "有一份外出执行情况报告需要审查", Link: "/trip-reviews/7", CourtID: 1}
	cases := []struct {
		name  string
		edit  func(*Notice)
		field string // "" for valid
	}{
		{"valid", func(*Notice) {}, ""},
		{"200 characters", func(n *Notice) { n.Title = strings.Repeat("审", 200) }, ""},
		{"201 characters", func(n *Notice) { n.Title = strings.Repeat("审", 201) }, "title"},
		{"empty title", func(n *Notice) { n.Title = "  " }, "title"},
		{"unknown kind", func(n *Notice) { n.Kind = "gossip" }, "kind"},
		{"no link", func(n *Notice) { n.Link = "" }, "link"},
		{"absolute link", func(n *Notice) { n.Link = "https://evil.example/" }, "link"},
		{"protocol-relative link", func(n *Notice) { n.Link = "//evil.example/" }, "link"},
		{"relative link", func(n *Notice) { n.Link = "trip-reviews/7" }, "link"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := ok
			c.edit(&n)
			err := n.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *domain.ValidationError
			if !errors.As(err, &ve) || ve.Fields[c.field] == "" || !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("want an error on %s, got %v", c.field, err)
			}
		})
	}
}

func TestNoticeKinds(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range NoticeKinds {
		if !k.Valid() || k.Label() == string(k) || seen[k.Label()] {
			t.Errorf("kind %q: label %q", k, k.Label())
		}
		seen[k.Label()] = true
	}
	if NoticeKind("later").Label() != "later" {
		t.Error("an unknown kind should show its code")
	}
	texts := map[string]string{}
	for _, tp := range SMSTemplates() {
		texts[tp.Name] = tp.Default
	}
	if got := texts[(Notice{Kind: NoticeVisitOnsite}).Template()]; got != "执廉提醒：您有一条新消息（待实地回访），请登录执廉系统查看。" {
		t.Errorf("default text: %q", got)
	}
	if got := (Notice{Kind: NoticeVisitOnsite, SMSTemplate: "own"}).Template(); got != "own" {
		t.Errorf("own template: %q", got)
	}
}
