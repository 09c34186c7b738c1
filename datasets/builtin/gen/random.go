package gen

// source is a splitmix64 generator. The generators use it instead of math/rand
// so that the committed files depend only on code in this package and never
// change with the Go release.
type source struct{ state uint64 }

func newSource(seed uint64) *source { return &source{state: seed} }

func (s *source) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n). The modulo bias is irrelevant at these sizes.
func (s *source) intn(n int) int { return int(s.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (s *source) between(lo, hi int) int { return lo + s.intn(hi-lo+1) }

// stepped returns lo, lo+step, ... up to hi, chosen uniformly.
func (s *source) stepped(lo, hi, step int) int { return lo + step*s.intn((hi-lo)/step+1) }

func pick[T any](s *source, xs []T) T { return xs[s.intn(len(xs))] }
