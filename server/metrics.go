package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the service's Prometheus metrics. Every label takes its
// values from a bounded set: routes are the mux's patterns, programmes
// the files of the directory, outcomes the engine's tokens.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	inflight  prometheus.Gauge
	decisions *prometheus.CounterVec
	reloads   *prometheus.CounterVec
	up        *prometheus.GaugeVec
	problems  *prometheus.GaugeVec
	loadedAt  *prometheus.GaugeVec
	lines     *prometheus.CounterVec
	dlogFails prometheus.Counter
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aeo_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "aeo_http_request_duration_seconds", Help: "Time to serve a request, by route.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aeo_http_requests_in_flight", Help: "Requests being served.",
		}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aeo_decisions_total",
			Help: "Decisions by programme, kind (assess: one per authorization type; lane; risk; benefits; lifecycle) and outcome (recommendation, lane, risk level, applied or refused).",
		}, []string{"programme", "kind", "outcome"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aeo_programme_reloads_total", Help: "Programme loads by programme and result: loaded, unchanged, failed, removed (error: the directory could not be read).",
		}, []string{"programme", "result"}),
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "aeo_programme_serving", Help: "1 when a version of the programme is serving, 0 when none is.",
		}, []string{"programme"}),
		problems: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "aeo_programme_load_errors", Help: "Problems found by the last attempt to load the programme's file (0 when it loaded).",
		}, []string{"programme"}),
		loadedAt: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "aeo_programme_loaded_timestamp_seconds", Help: "When the version serving was loaded.",
		}, []string{"programme"}),
		lines: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aeo_stream_lines_total", Help: "Lines of declaration streams, by result (decided, error).",
		}, []string{"result"}),
		dlogFails: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aeo_decision_log_failures_total", Help: "Decisions refused because the decision log could not be written.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.inflight, m.decisions, m.reloads, m.up, m.problems, m.loadedAt, m.lines, m.dlogFails} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) setProgrammes(c *catalogue, removed []string) {
	for _, n := range removed {
		m.up.DeleteLabelValues(n)
		m.problems.DeleteLabelValues(n)
		m.loadedAt.DeleteLabelValues(n)
	}
	for _, n := range c.names {
		e := c.byName[n]
		up := 0.0
		if e.prog != nil {
			up = 1
			m.loadedAt.WithLabelValues(n).Set(float64(e.loadedAt.UnixNano()) / 1e9)
		}
		m.up.WithLabelValues(n).Set(up)
		m.problems.WithLabelValues(n).Set(float64(len(e.problems)))
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
