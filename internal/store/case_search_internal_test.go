package store

import "testing"

// TestFTSTrigramsCoverTheText: the trigrams asked of the FTS5 index cover
// the text end to end, fewer than every overlapping one, and are quoted.
func TestFTSTrigramsCoverTheText(t *testing.T) {
	for q, want := range map[string]string{
		"张三丰":        `"张三丰"`,
		"枣庄市市场监督管理局": `"枣庄市" AND "市场监" AND "督管理" AND "管理局"`,
		"济南市历下区":     `"济南市" AND "历下区"`,
		"山东省济南":      `"山东省" AND "省济南"`,
		`a"b"c`:      `"a""b" AND "b""c"`,
		"哈哈哈哈哈哈":     `"哈哈哈"`,
	} {
		if got := ftsTrigrams(q, func(string) bool { return false }); got != want {
			t.Errorf("ftsTrigrams(%q) = %s, want %s", q, got, want)
		}
	}
}

// TestFTSTrigramsLeaveCommonOnesOut: trigrams common to many names are
// not asked for when the text has others, and all are when it has none.
func TestFTSTrigramsLeaveCommonOnesOut(t *testing.T) {
	common := func(g string) bool { return g == "有限公" || g == "限公司" || g == "公司有" }
	for q, want := range map[string]string{
		"济宁兴隆建材有限公司": `"济宁兴" AND "隆建材"`,
		"有限公司":       `"有限公" AND "限公司"`,
		"张三丰":        `"张三丰"`,
		"有限公司甲":      `"公司甲"`,
	} {
		if got := ftsTrigrams(q, common); got != want {
			t.Errorf("ftsTrigrams(%q) = %s, want %s", q, got, want)
		}
	}
}
