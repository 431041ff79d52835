package synth

import (
	"io"
	"strconv"
	"testing"
)

// benchCourts is a province of 150 courts with ten officers each, the
// shape of the million-case benchmark data.
func benchCourts() []Court {
	var courts []Court
	for city := 1; city <= 15; city++ {
		for basic := 1; basic <= 10; basic++ {
			code := "鲁" + pad2(city) + pad2(basic)
			if basic == 10 {
				code = "鲁" + pad2(city) // the intermediate court
			}
			c := Court{Code: code}
			for o := range 10 {
				c.Officers = append(c.Officers, Officer{"承办人" + strconv.Itoa(o), "执行" + strconv.Itoa(o%2+1) + "庭"})
			}
			courts = append(courts, c)
		}
	}
	return courts
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func BenchmarkNext(b *testing.B) {
	g := New(Config{Seed: 1, Today: testToday, Cases: 1_000_000}, benchCourts())
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		g.Next()
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "cases/s")
}

// BenchmarkWriteCSV writes b.N cases in one call, as the million-case
// export does.
func BenchmarkWriteCSV(b *testing.B) {
	g := New(Config{Seed: 1, Today: testToday, Cases: 1_000_000}, benchCourts())
	b.ReportAllocs()
	b.ResetTimer()
	if err := g.WriteCSV(io.Discard, b.N); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}
