package visit

import (
	"slices"
	"strings"
	"testing"
)

func TestParseSatisfaction(t *testing.T) {
	const (
		sat  = ReplySatisfied
		dis  = ReplyDissatisfied
		dk   = ReplyDontKnow
		uncl = ReplyUnclear
	)
	tests := []struct {
		in     string
		kind   ReplyKind
		hedged bool
	}{
		{"1", sat, false},
		{"１", sat, false},
		{" 1 ", sat, false},
		{"1。", sat, false},
		{"①", sat, false},
		{"11", sat, false},
		{"回复1", sat, false},
		{"1（满意）", sat, false},
		{"满意", sat, false},
		{"满意！", sat, false},
		{"很满意", sat, false},
		{"非常满意！！！👍👍", sat, false},
		{"满意了", sat, false},
		{"挺满意的", sat, false},
		{"比较满意", sat, false},
		{"满意，谢谢", sat, false},
		{"满意，谢谢法官！辛苦了", sat, false},
		{"【回复】满意", sat, false},
		{"【满意】", sat, false},
		{"您好，案件已执行完毕，满意", sat, false},
		{"对法官很满意，谢谢你们", sat, false},
		{"满意满意", sat, false},
		{"嗯，满意", sat, false},
		{"是的，满意", sat, false},
		{"ＯＫ满意", uncl, false},
		{"满意，很好", sat, false},
		{"2", dis, false},
		{"２", dis, false},
		{"2.", dis, false},
		{"不满意", dis, false},
		{"很不满意！", dis, false},
		{"非常不满意，钱到现在还没拿到", dis, false},
		{"不太满意", dis, false},
		{"不是很满意", dis, false},
		{"我不满意", dis, false},
		{"差", dis, false},
		{"太差了", dis, false},
		{"满意，就是钱还没拿到", dis, false},
		{"执行法官拖延，我要投诉", dis, false},
		{"案件还没执行完", dis, false},
		{"未执行完毕", dis, false},
		{"2 执行人员态度生硬", dis, false},
		{"2月份收到了", uncl, false},
		{"不知道", dk, false},
		{"不清楚", dk, false},
		{"我不太清楚", dk, false},
		{"没听说", dk, false},
		{"没听说过这个案子", dk, false},
		{"什么案子？", dk, false},
		{"不记得了", dk, false},
		{"还行", dis, true},
		{"还行吧", dis, true},
		{"还可以", dis, true},
		{"一般", dis, true},
		{"一般般吧", dis, true},
		{"基本满意", dis, true},
		{"还算满意", dis, true},
		{"凑合", dis, true},
		{"满意，但是时间太长", dis, true},
		{"满意，希望以后快一点", dis, true},
		{"", uncl, false},
		{"   ", uncl, false},
		{"👍", uncl, false},
		{"好", uncl, false},
		{"好的", uncl, false},
		{"可以", uncl, false},
		{"ok", uncl, false},
		{"3", uncl, false},
		{"12", uncl, false},
		{"1 2", uncl, false},
		{"谢谢", uncl, false},
		{"你是谁", uncl, false},
		{"不好意思，刚看到", uncl, false},
		{"满意，执行很及时", uncl, false},
		// A quoted question without an answer mentions 不满意: better a call than a guess.
		{"【XX法院】您的案件（2023）鲁0102执123号已执结……请回复1满意，2不满意", dis, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, ok := ParseSatisfaction(tt.in)
			if r.Kind != tt.kind || r.Hedged != tt.hedged {
				t.Fatalf("ParseSatisfaction(%q) = %s hedged=%v, want %s hedged=%v", tt.in, r.Kind, r.Hedged, tt.kind, tt.hedged)
			}
			if ok != (tt.kind != ReplyUnclear) {
				t.Errorf("ok = %v for kind %s", ok, r.Kind)
			}
			if r.Text != tt.in {
				t.Errorf("Text = %q, want the verbatim %q", r.Text, tt.in)
			}
		})
	}
}

func TestParseSatisfactionOptOut(t *testing.T) {
	for _, in := range []string{"TD", "td", "退订", "Ｔ Ｄ"} {
		r, ok := ParseSatisfaction(in)
		if ok || r.Kind != ReplyUnclear || !r.OptOut {
			t.Errorf("ParseSatisfaction(%q) = %+v, %v; want unclear opt-out", in, r, ok)
		}
	}
}

func TestParseCategories(t *testing.T) {
	tests := []struct {
		in   string
		want []int // nil = unclear
	}{
		{"1", []int{1}},
		{"2 3", []int{2, 3}},
		{"2，3", []int{2, 3}},
		{"2,3", []int{2, 3}},
		{"23", []int{2, 3}},
		{"2、3", []int{2, 3}},
		{"２ ３", []int{2, 3}},
		{"1和3", []int{1, 3}},
		{"第2项", []int{2}},
		{"第1、4项", []int{1, 4}},
		{"3 2 2", []int{2, 3}},
		{"4321", []int{1, 2, 3, 4}},
		{"二、三", []int{2, 3}},
		{"选1和2，谢谢", []int{1, 2}},
		{"【回复】3", []int{3}},
		{"消极执行", []int{1}},
		{"反映执行错误和作风不正", []int{2, 3}},
		{"全部", []int{1, 2, 3, 4}},
		{"以上都有", []int{1, 2, 3, 4}},
		{"1。", []int{1}},
		{"", nil},
		{"5", nil},
		{"0", nil},
		{"10", nil},
		{"1-3", nil},
		{"1到3", nil},
		{"不知道", nil},
		{"满意", nil},
		{"钱没给", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseCategories(tt.in)
			if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
				t.Fatalf("ParseCategories(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
			}
		})
	}
}

const fuzzSpace = " \t\r\n\u3000"

func FuzzParseSatisfaction(f *testing.F) {
	for _, s := range []string{"1", "１", "满意", "很不满意", "不知道", "还行", "【XX】满意，谢谢", "👍", "\xff", "满意但是", "td"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParseSatisfaction(s)
		if r.Text != s {
			t.Fatalf("Text not verbatim")
		}
		if ok != (r.Kind != ReplyUnclear) {
			t.Fatalf("ok = %v for kind %s", ok, r.Kind)
		}
		switch r.Kind {
		case ReplySatisfied, ReplyDissatisfied, ReplyDontKnow, ReplyUnclear:
		default:
			t.Fatalf("unknown kind %q", r.Kind)
		}
		if r.Hedged && r.Kind != ReplyDissatisfied || r.OptOut && r.Kind != ReplyUnclear {
			t.Fatalf("inconsistent reply %+v", r)
		}
		r2, ok2 := ParseSatisfaction(fuzzSpace + s + fuzzSpace)
		if r2.Kind != r.Kind || r2.Hedged != r.Hedged || r2.OptOut != r.OptOut || ok2 != ok {
			t.Fatalf("%q: %+v, padded: %+v", s, r, r2)
		}
		if r.Kind == ReplySatisfied && strings.Contains(s, "不满意") {
			t.Fatalf("%q read as satisfied", s)
		}
	})
}

func FuzzParseCategories(f *testing.F) {
	for _, s := range []string{"2 3", "2，3", "23", "第2项", "１和３", "全部", "1-3", "消极执行", "\xe4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseCategories(s)
		if ok != (len(got) > 0) {
			t.Fatalf("ok = %v with %v", ok, got)
		}
		for i, n := range got {
			if n < 1 || n > 4 || i > 0 && got[i-1] >= n {
				t.Fatalf("%q: %v not sorted, distinct, in 1..4", s, got)
			}
		}
		got2, ok2 := ParseCategories(fuzzSpace + s + fuzzSpace)
		if ok2 != ok || !slices.Equal(got, got2) {
			t.Fatalf("%q: %v, padded: %v", s, got, got2)
		}
	})
}
