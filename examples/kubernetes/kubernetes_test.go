// Package kubernetes holds Kubernetes manifests that run soakkit; its test
// decodes them strictly into the Kubernetes API types and checks the
// invariants that make the shards cover the suite and the merge read them.
package kubernetes

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// decode reads file strictly into v: an unknown or duplicate field is an
// error, as `kubectl apply --validate=strict` would make it.
func decode(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func job(t *testing.T, file string) *batchv1.Job {
	t.Helper()
	var j batchv1.Job
	decode(t, file, &j)
	if j.APIVersion != "batch/v1" || j.Kind != "Job" {
		t.Fatalf("%s: %s %s, want batch/v1 Job", file, j.APIVersion, j.Kind)
	}
	return &j
}

// only returns the pod's single container.
func only(t *testing.T, file string, j *batchv1.Job) corev1.Container {
	t.Helper()
	cs := j.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("%s: %d containers, want 1", file, len(cs))
	}
	if p := j.Spec.Template.Spec.RestartPolicy; p != corev1.RestartPolicyNever {
		t.Errorf("%s: restartPolicy %q, want Never: a soak that ended must not start again in place", file, p)
	}
	return cs[0]
}

func deref(p *int32) string {
	if p == nil {
		return "unset"
	}
	return strconv.Itoa(int(*p))
}

// flag returns the value after name in argv, and whether it is there.
func flag(argv []string, name string) (string, bool) {
	i := slices.Index(argv, name)
	if i < 0 || i+1 >= len(argv) {
		return "", false
	}
	return argv[i+1], true
}

// claim returns the mount path of the volume backed by the claim, and
// the claim's name, of the pod's container c.
func claim(t *testing.T, file string, j *batchv1.Job, c corev1.Container) (mount, claimName string) {
	t.Helper()
	for _, v := range j.Spec.Template.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		for _, m := range c.VolumeMounts {
			if m.Name == v.Name {
				return m.MountPath, v.PersistentVolumeClaim.ClaimName
			}
		}
		t.Errorf("%s: volume %q is not mounted", file, v.Name)
	}
	t.Fatalf("%s: no persistent volume mounted", file)
	return "", ""
}

func TestManifests(t *testing.T) {
	var pvc corev1.PersistentVolumeClaim
	decode(t, "pvc.yaml", &pvc)
	if !slices.Contains(pvc.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Errorf("pvc.yaml: access modes %v: the soak pods run at once, on any node: want ReadWriteMany", pvc.Spec.AccessModes)
	}

	soak := job(t, "soak-job.yaml")
	s := soak.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("soak-job.yaml: completionMode %v, want Indexed", s.CompletionMode)
	}
	if s.Completions == nil || s.Parallelism == nil || *s.Completions != *s.Parallelism || *s.Completions < 1 {
		t.Fatalf("soak-job.yaml: completions %s, parallelism %s: want equal and positive (every shard at once)", deref(s.Completions), deref(s.Parallelism))
	}
	n := int(*s.Completions)
	if s.BackoffLimitPerIndex == nil {
		t.Error("soak-job.yaml: no backoffLimitPerIndex: one shard's failure would fail them all")
	}
	c := only(t, "soak-job.yaml", soak)
	argv := append(slices.Clone(c.Command), c.Args...)
	if len(argv) < 2 || argv[0] != "soakkit" || argv[1] != "soak" {
		t.Fatalf("soak-job.yaml: runs %q, want soakkit soak", argv)
	}
	if shard, _ := flag(argv, "--shard"); shard != "$(JOB_COMPLETION_INDEX)/"+strconv.Itoa(n) {
		t.Errorf("soak-job.yaml: --shard %q, want $(JOB_COMPLETION_INDEX)/%d (completions)", shard, n)
	}
	if runner, _ := flag(argv, "--runner"); !strings.Contains(runner, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("soak-job.yaml: --runner %q is the same for every pod", runner)
	}
	mount, claimName := claim(t, "soak-job.yaml", soak, c)
	if claimName != pvc.Name {
		t.Errorf("soak-job.yaml: claim %q, want the one of pvc.yaml, %q", claimName, pvc.Name)
	}
	art, _ := flag(argv, "--artifacts")
	if !strings.HasPrefix(art, strings.TrimSuffix(mount, "/")+"/") || !strings.Contains(art, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("soak-job.yaml: --artifacts %q, want a per-pod folder of the volume mounted at %s", art, mount)
	}
	if addr, ok := flag(argv, "--metrics-listen"); ok {
		_, port, _ := strings.Cut(addr, ":")
		found := slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return strconv.Itoa(int(p.ContainerPort)) == port })
		if !found || soak.Spec.Template.Annotations["prometheus.io/port"] != port {
			t.Errorf("soak-job.yaml: --metrics-listen %q: port not declared or annotated", addr)
		}
	}
	// Each pod's artifacts folder, as Kubernetes expands it.
	var shards []string
	for i := range n {
		shards = append(shards, strings.ReplaceAll(art, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i)))
	}

	merge := job(t, "merge-job.yaml")
	if merge.Spec.CompletionMode != nil && *merge.Spec.CompletionMode == batchv1.IndexedCompletion {
		t.Error("merge-job.yaml: merging is one pod's work")
	}
	mc := only(t, "merge-job.yaml", merge)
	margv := append(slices.Clone(mc.Command), mc.Args...)
	if len(margv) < 2 || margv[0] != "soakkit" || margv[1] != "merge" {
		t.Fatalf("merge-job.yaml: runs %q, want soakkit merge", margv)
	}
	mmount, mclaim := claim(t, "merge-job.yaml", merge, mc)
	if mclaim != claimName {
		t.Errorf("merge-job.yaml: claim %q, want the soak Job's %q", mclaim, claimName)
	}
	out, ok := flag(margv, "--out")
	if !ok || !strings.HasPrefix(out, strings.TrimSuffix(mmount, "/")+"/") {
		t.Errorf("merge-job.yaml: --out %q, want a folder of the volume mounted at %s", out, mmount)
	}
	if slices.Contains(shards, out) {
		t.Errorf("merge-job.yaml: --out %q is a shard's folder", out)
	}
	// The sources: every argument after the flags, with the soak's mount
	// path replaced by the merge's.
	var srcs []string
	for i := 2; i < len(margv); i++ {
		if strings.HasPrefix(margv[i], "-") {
			i++ // the flag's value
			continue
		}
		srcs = append(srcs, path.Join(mount, strings.TrimPrefix(margv[i], mmount)))
	}
	if diff := cmp.Diff(shards, srcs); diff != "" {
		t.Errorf("merge-job.yaml merges other folders than the soak pods write (-want +got):\n%s", diff)
	}
}

// TestSoakkitFlags checks that every flag the Jobs give soakkit is one its
// command takes, as the soakkit of this tree lists them.
func TestSoakkitFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds soakkit")
	}
	bin := filepath.Join(t.TempDir(), "soakkit")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/soakkit").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, file := range []string{"soak-job.yaml", "merge-job.yaml"} {
		j := job(t, file)
		c := only(t, file, j)
		argv := append(slices.Clone(c.Command), c.Args...)
		if len(argv) < 2 || argv[0] != "soakkit" {
			t.Fatalf("%s: runs %q, want soakkit", file, argv)
		}
		help, _ := exec.Command(bin, argv[1], "--help").CombinedOutput()
		if !strings.Contains(string(help), "Flags") {
			t.Fatalf("soakkit %s --help:\n%s", argv[1], help)
		}
		for _, arg := range argv[2:] {
			if arg == "--" {
				break
			}
			name, _, _ := strings.Cut(arg, "=")
			if strings.HasPrefix(name, "--") && !regexp.MustCompile(`(?m)^\s+(-\w, )?`+regexp.QuoteMeta(name)+`\b`).Match(help) {
				t.Errorf("%s: soakkit %s has no flag %s", file, argv[1], name)
			}
		}
	}
}
