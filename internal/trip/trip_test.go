package trip_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/trip"
)

func TestOutOfJurisdiction(t *testing.T) {
	for _, tt := range []struct {
		divisions []string
		dest      string
		out       bool
	}{
		{[]string{"370102"}, "370102", false}, // 历下区 court, 历下区
		{[]string{"370102"}, "370103", true},  // next district
		{[]string{"370102"}, "370100", true},  // all Jinan is more than 历下
		{[]string{"370100"}, "370102", false}, // Jinan intermediate court
		{[]string{"370100"}, "370100", false},
		{[]string{"370100"}, "370200", true},
		{[]string{"370000"}, "371002", false}, // the High Court: the province
		{[]string{"370000"}, "110101", true},
		{[]string{"370100", "370300"}, "370303", false}, // railway court: several
		{nil, "370102", true},
	} {
		if got := trip.OutOfJurisdiction(tt.divisions, tt.dest); got != tt.out {
			t.Errorf("%v to %s: out %v, want %v", tt.divisions, tt.dest, got, tt.out)
		}
	}
}

// Due dates count working days of the holiday calendar: back on 30
// September 2026, the week of 国庆节 does not count and Saturday 10
// October, a make-up working day, does.
func TestDueOverHoliday(t *testing.T) {
	cal := deadline.DefaultLimits().Calendar
	due, esc := trip.DefaultRules().Due(cal, domain.MustDate("2026-09-30"))
	if due.String() != "2026-10-10" || esc.String() != "2026-10-13" {
		t.Fatalf("due %s, escalate %s", due, esc)
	}
}

func TestAnswersAndSignature(t *testing.T) {
	a := trip.Answers{}
	if err := a.Validate(); err == nil || !strings.Contains(domain.UserMessage(err), "第1项未选择") {
		t.Fatalf("empty answers: %v", err)
	}
	for _, it := range trip.Items {
		a[it.Code] = false
	}
	a["T2"] = true
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if y := a.Yes(); !slices.Equal(y, []string{"T2"}) {
		t.Fatalf("yes %v", y)
	}
	at := time.Date(2026, 10, 9, 9, 30, 0, 0, time.UTC)
	sig, err := trip.Sign(a, 7, "张三", at)
	if err != nil || len(sig.Hash) != 64 || !sig.Verify(a) {
		t.Fatalf("sign: %+v %v", sig, err)
	}
	a["T2"] = false
	if sig.Verify(a) {
		t.Fatal("a changed report still verifies")
	}
	if len(trip.Items) != 7 || !strings.HasPrefix(trip.Items[0].Text, "是否与当事人及其诉讼代理人同行、同吃、同住") {
		t.Fatal("附件1 items are not the seed's")
	}
}

func TestContradicted(t *testing.T) {
	a := trip.Answers{}
	for _, it := range trip.Items {
		a[it.Code] = false
	}
	a["T2"] = true
	// 接受当事人吃请 contradicts 无 to T1 (T2 was answered 有).
	if got := trip.Contradicted(a, []string{"C3.2", "C1.6"}); !slices.Equal(got, []string{"T1"}) {
		t.Fatalf("contradicted %v", got)
	}
	if got := trip.Contradicted(a, []string{"C1.6"}); len(got) != 0 {
		t.Fatalf("a complaint of delay contradicts %v", got)
	}
}
