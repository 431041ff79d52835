package domain

import "testing"

func TestParseCaseNoQuery(t *testing.T) {
	tests := []struct {
		in   string
		want CaseNoQuery
		ok   bool
	}{
		{"183", CaseNoQuery{Serial: 183}, true},
		{"183号", CaseNoQuery{Serial: 183}, true},
		{"0183", CaseNoQuery{Serial: 183}, true},
		{"１８３", CaseNoQuery{Serial: 183}, true},
		{"执183号", CaseNoQuery{Type: "执", Serial: 183}, true},
		{"执恢183号", CaseNoQuery{Type: "执恢", Serial: 183}, true},
		{"鲁0102执183号", CaseNoQuery{Court: "鲁0102", Type: "执", Serial: 183}, true},
		{" 鲁0102 执 183 ", CaseNoQuery{Court: "鲁0102", Type: "执", Serial: 183}, true},
		{"鲁01执复7号", CaseNoQuery{Court: "鲁01", Type: "执复", Serial: 7}, true},
		{"（2026）鲁0102执183号", CaseNoQuery{2026, "鲁0102", "执", 183}, true},
		{"(2026)鲁0102执183号", CaseNoQuery{2026, "鲁0102", "执", 183}, true},
		{"〔2026〕鲁0102执183", CaseNoQuery{2026, "鲁0102", "执", 183}, true},
		{"（２０２６）鲁０１０２执１８３号", CaseNoQuery{2026, "鲁0102", "执", 183}, true},
		{"(2026)183", CaseNoQuery{Year: 2026, Serial: 183}, true},
		{"（2026）执183号", CaseNoQuery{Year: 2026, Type: "执", Serial: 183}, true},
		{"2026 183", CaseNoQuery{Year: 2026, Serial: 183}, true},
		{"2026　183号", CaseNoQuery{Year: 2026, Serial: 183}, true},
		{"2026年183号", CaseNoQuery{Year: 2026, Serial: 183}, true},
		{"2026执183", CaseNoQuery{Year: 2026, Type: "执", Serial: 183}, true},
		{"2026鲁0102执183号", CaseNoQuery{2026, "鲁0102", "执", 183}, true},
		{"2026", CaseNoQuery{Serial: 2026}, true},       // a serial, not a year alone
		{"2026183", CaseNoQuery{Serial: 2026183}, true}, // no mark: one number
		{"", CaseNoQuery{}, false},
		{"张三", CaseNoQuery{}, false},
		{"张3", CaseNoQuery{}, false},
		{"执", CaseNoQuery{}, false},
		{"鲁0102执", CaseNoQuery{}, false},
		{"（2026）", CaseNoQuery{}, false},
		{"(26)183", CaseNoQuery{}, false},
		{"(1989)183", CaseNoQuery{}, false},
		{"鲁183", CaseNoQuery{}, false},
		{"鲁01023执1号", CaseNoQuery{}, false},
		{"刑183号", CaseNoQuery{}, false},
		{"183号之一", CaseNoQuery{}, false},
		{"0", CaseNoQuery{}, false},
		{"1234567890", CaseNoQuery{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseCaseNoQuery(tt.in, DefaultCaseTypes)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Fatalf("ParseCaseNoQuery(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	// Every full number the full parser reads is read the same here.
	for _, tt := range caseNoValid {
		got, ok := ParseCaseNoQuery(tt.in, DefaultCaseTypes)
		want := CaseNoQuery{tt.want.Year, tt.want.Court, tt.want.Type, tt.want.Serial}
		if !ok || got != want || !got.Full() {
			t.Errorf("ParseCaseNoQuery(%q) = %+v, %v; want %+v", tt.in, got, ok, want)
		}
	}
}
