package web_test

import (
	"context"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The province's cockpit places its intermediate courts on the map of
// 山东省 (the special courts stay in the table): each court's division with the status the ranking gives it and
// a link to its own cockpit; the map served is a GeoJSON that has every
// one of those divisions. A court without a map of its own (an
// intermediate court) shows the table alone.
func TestOverviewProvinceMap(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	overviewCases(t, db)
	grp := domain.ViewerFor(testdb.AddUser(t, db, "map.grp", "鲁", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "map.grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	year := overview.Year(db.Today().Year())
	kids, err := db.OverviewChildren(ctx, grp, "鲁", year)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]overview.Status{} // division → status
	for _, k := range kids {
		// The railway court (the whole province) and the maritime court
		// (seven prefectures, each another court's) are in the table only.
		if k.Court.Code != "鲁71" && k.Court.Code != "鲁72" {
			want[k.Court.Divisions[0]] = k.Status(overview.DefaultTargets())
		}
	}
	// The map still draws 莱芜市 apart; 济南's court covers it since 2019.
	want["371200"] = want["370100"]
	if len(want) != 17 || want["370100"] == overview.StatusNone {
		t.Fatalf("the intermediate courts' divisions: %v", want)
	}

	g := e.browser().loggedIn("map.grp")
	r := g.get("/overview")
	if r.status != 200 {
		t.Fatalf("the province's cockpit: %d", r.status)
	}
	m := regexp.MustCompile(`<script type="application/json" id="overview-map-data">(.*?)</script>`).FindStringSubmatch(r.body)
	if m == nil || !strings.Contains(r.body, `id="overview-map"`) {
		t.Fatal("the province's cockpit has no map")
	}
	var data struct {
		URL     string `json:"url"`
		Regions []struct {
			Divisions []string `json:"divisions"`
			Court     string   `json:"court"`
			Status    string   `json:"status"`
			Href      string   `json:"href"`
		} `json:"regions"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &data); err != nil {
		t.Fatalf("the map's data %s: %v", m[1], err)
	}
	got := map[string]string{}
	if len(data.Regions) != len(want)-1 {
		t.Errorf("%d regions on the map, want %d", len(data.Regions), len(want))
	}
	for _, rg := range data.Regions {
		for _, d := range rg.Divisions {
			got[d] = rg.Status
		}
		if !strings.HasPrefix(rg.Href, "/overview?court=") {
			t.Errorf("%s links to %q", rg.Court, rg.Href)
		}
		if rg.Court == "济南市中级人民法院" && !strings.Contains(rg.Href, "court=%E9%B2%8101&") {
			t.Errorf("济南 links to %q", rg.Href)
		}
	}
	for d, st := range want {
		if s, ok := got[d]; !ok || s != string(st) {
			t.Errorf("division %s on the map: %q (%v), the ranking says %q", d, s, ok, st)
		}
	}

	// The map itself: a GeoJSON with a feature for every division placed.
	geo := g.get(data.URL)
	if geo.status != 200 || !strings.Contains(geo.header.Get("Content-Type"), "json") {
		t.Fatalf("the map %s: %d %s", data.URL, geo.status, geo.header.Get("Content-Type"))
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(geo.body), &fc); err != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("the map is no GeoJSON: %v", err)
	}
	ids := map[string]any{}
	for _, f := range fc.Features {
		ids[f.ID] = f.Properties["name"]
	}
	for d := range want {
		if _, ok := ids[d]; !ok {
			t.Errorf("division %s is not on the map", d)
		}
	}
	if ids["370100"] != "济南市" {
		t.Errorf("370100 is %q on the map", ids["370100"])
	}

	// 济南's cockpit: its basic courts in the table, no map.
	if r := e.browser().loggedIn("map.grp01").get("/overview"); r.status != 200 || strings.Contains(r.body, `id="overview-map"`) || !strings.Contains(r.body, `id="children"`) {
		t.Errorf("济南's cockpit: %d, map %v", r.status, strings.Contains(r.body, `id="overview-map"`))
	}
}
