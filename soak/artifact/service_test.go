package artifact

import "testing"

func TestServiceExitEnd(t *testing.T) {
	tests := []struct {
		give ServiceExit
		want string
	}{
		{ServiceExit{Name: "service", PID: 7, ExitCode: -1, Signal: "killed"}, `service "service" (pid 7) was ended by a signal (killed)`},
		{ServiceExit{Name: "api", PID: 9, ExitCode: 2}, `service "api" (pid 9) exited with status 2`},
	}
	for _, tt := range tests {
		if got := tt.give.End(); got != tt.want {
			t.Errorf("%+v.End() = %q, want %q", tt.give, got, tt.want)
		}
	}
}
