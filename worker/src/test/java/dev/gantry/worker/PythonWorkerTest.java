package dev.gantry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Buffers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Globus Compute's payloads as its SDK makes them (the captured vectors, and dill from Debian's python3) run
 * by the Python worker: results in the submitter's serializers, the SDK's ShellResult without its SDK, user
 * tracebacks without the runner's frames, and an interpreter without dill that says so.
 */
class PythonWorkerTest {
    static final String PYTHON = "/usr/bin/python3";
    static JsonNode vectors;

    @TempDir
    Path work;

    @BeforeAll
    static void needsDebiansDill() throws Exception {
        assertThat(python("import dill; print(dill.__version__)", ""))
                .as("Debian's python3-dill is missing: run .ci/system-packages (apt-get install python3-dill)")
                .isNotBlank();
        try (InputStream in = PythonWorkerTest.class.getResourceAsStream("/gc/serialization_vectors.json")) {
            vectors = Json.mapper().readTree(in);
        }
        PythonInterpreter.use(PYTHON);
    }

    @AfterEach
    void defaultInterpreter() {
        PythonInterpreter.use(PYTHON);
    }

    /** Runs a Python script with {@code input} on stdin; its stdout (a failure shows its stderr). */
    static String python(String script, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", script).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return out.strip();
    }

    /** A function's code as the SDK's DillCode makes it, from Python source defining {@code name}. */
    static String dillCode(String source, String name) throws Exception {
        return python(
                "import base64, dill, sys\nexec(sys.stdin.read())\n" + "print('01\\n' + base64.encodebytes(dill.dumps("
                        + name + ")).decode(), end='')",
                source);
    }

    /** Packed args and kwargs as the SDK's DillDataBase64 makes them, from Python expressions. */
    static String dillArgs(String args, String kwargs) throws Exception {
        return python(
                "import base64, dill\ndef s(o): return '00\\n' + base64.encodebytes(dill.dumps(o)).decode()\n"
                        + "a, k = s(" + args + "), s(" + kwargs + ")\n"
                        + "print(f'{len(a)}\\n{a}{len(k)}\\n{k}', end='')",
                "");
    }

    /** What a serialized result is, as {@code repr} of what a Python without the SDK unpickles. */
    static String decoded(String data) throws Exception {
        return python("""
                import base64, pickle, sys
                class Stub:
                    def __repr__(self): return self.kind + repr(sorted(self.__dict__.items()))
                class U(pickle.Unpickler):
                    def find_class(self, module, name):
                        if module.startswith('globus_compute_sdk'):
                            return type(name, (Stub,), {'kind': module + '.' + name})
                        return super().find_class(module, name)
                data = sys.stdin.read()
                assert data[:3] == '00\\n', data[:3]
                import io
                v = U(io.BytesIO(base64.b64decode(data[3:]))).load()
                print(repr(v))
                """, data);
    }

    TaskResult run(String code, String payload, List<String> serializers) {
        FunctionDoc f = new FunctionDoc(FunctionId.random(), "f", Buffers.pack(List.of(code)), null, null);
        TaskMessage t =
                new TaskMessage(TaskId.random(), TaskGroupId.random(), 1, f.functionUuid(), payload, null, serializers);
        return new TaskRunner(work).run(t, f);
    }

    @Test
    void theSdksDefaultPayloadsGiveTheBytesItsOwnWorkerGives() {
        TaskResult r = run(
                vectors.get("serialize_plain_function").asText(),
                vectors.get("task_payload_args_(1,'a')_kwargs_{'x':2}").asText(),
                null);
        assertThat(r.error()).isNull();
        assertThat(r.data()).isEqualTo(vectors.get("serialize_result_'1a2'").asText());
    }

    @Test
    void aShellFunctionRunsWithoutTheSdkAndReturnsItsShellResult() throws Exception {
        String code = Buffers.unpack(vectors.get("function_code_shell_function").asText())
                .get(0);
        TaskResult r = run(code, dillArgs("()", "{'name': 'world'}"), null);
        assertThat(r.error()).isNull();
        assertThat(decoded(r.data()))
                .startsWith("globus_compute_sdk.sdk.shell_function.ShellResult")
                .contains("('cmd', 'echo hello world')")
                .contains("('returncode', 0)")
                .contains("('stdout', 'hello world\\n')");
    }

    @Test
    void aClosureAndASetComeBackAsPythonValues() throws Exception {
        String code =
                dillCode("def make(k):\n    def f(x):\n        return {x, x + k}\n    return f\nf = make(10)\n", "f");
        TaskResult r = run(code, dillArgs("(1,)", "{}"), null);
        assertThat(r.error()).isNull();
        assertThat(decoded(r.data())).isEqualTo("{1, 11}");
        TaskResult json = run(code, dillArgs("(1,)", "{}"), List.of("JSONData", "DillDataBase64"));
        assertThat(json.data()).startsWith("00\n");
        TaskResult jsonOnly = run(code, dillArgs("(1,)", "{}"), List.of("JSONData"));
        assertThat(jsonOnly.error().code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK);
        assertThat(jsonOnly.data()).contains("cannot be serialized with ['JSONData']");
    }

    @Test
    void aRaisingFunctionShowsTheUsersTracebackAndNoFrameOfTheRunner() throws Exception {
        String code = dillCode("def boom(x):\n    raise ValueError('bad ' + str(x))\n", "boom");
        TaskResult r = run(code, dillArgs("(7,)", "{}"), null);
        assertThat(r.error().code()).isEqualTo(FailureCode.REMOTE_EXECUTION_ERROR);
        assertThat(r.error().exceptionType()).isEqualTo("ValueError");
        assertThat(r.data())
                .startsWith("Traceback (most recent call last):\n")
                .contains("in boom")
                .endsWith("ValueError: bad 7\n")
                .doesNotContain("in call")
                .doesNotContain("in run")
                .doesNotContain("dev.gantry");
    }

    @Test
    void anInterpreterWithoutDillFailsTheTaskSayingSo() throws Exception {
        Path noDill = work.resolve("python-without-dill");
        Files.writeString(noDill, "#!/bin/sh\nexec " + PYTHON + " -S \"$@\"\n");
        noDill.toFile().setExecutable(true);
        PythonInterpreter.use(noDill.toString());
        TaskResult r = run(vectors.get("serialize_plain_function").asText(), dillArgs("(1, 'a')", "{'x': 2}"), null);
        assertThat(r.error().code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK);
        assertThat(r.data())
                .contains("cannot import dill")
                .contains("python3-dill")
                .contains("'python'");
        TaskResult source = run(
                "st\nf:def f(a):\n    return a * 2\n",
                Buffers.pack(List.of("11\n[21]", "11\n{}")),
                List.of("JSONData"));
        assertThat(source.data()).isEqualTo("11\n42");
    }

    /**
     * Every code strategy the SDK has sent (its deprecated ones too), and its combined data strategy, made as its
     * serializers make them: each decodes and runs.
     */
    @Test
    void everyCodeAndDataStrategyOfTheSdkDecodes() throws Exception {
        String made = python("""
                import base64, codecs, dill, json, pickle
                def b64(o, dumps=dill.dumps): return codecs.encode(dumps(o), 'base64').decode()
                def pack(bufs): return ''.join(f'{len(b)}\\n{b}' for b in bufs)
                src = 'def f(x):\\n    return x * 2\\n'
                ns = {'__name__': '__main__'}; exec(src, ns); f = ns['f']
                code = {
                    '01': '01\\n' + b64(f),
                    '02': '02\\n' + b64(abs, pickle.dumps),
                    '03': '03\\n' + b64(('f', src)),
                    '04': '04\\n' + b64(('f', src)),
                    'st': 'st\\nf:' + src,
                    'sd': 'sd\\nf:' + src,
                    '10': '10\\n' + ':'.join(['04\\n', b64(('f', src)), '01\\n', b64(f)]),
                    '12': '12\\n' + pack(['st\\nf:' + src, '01\\n' + b64(f)]),
                }
                args = pack(['13\\n' + pack(['11\\n[-21]', '00\\n' + b64((-21,))]), '11\\n{}'])
                print(json.dumps({'code': code, 'args': args}))
                """, "");
        JsonNode m = Json.mapper().readTree(made);
        for (var it = m.get("code").fields(); it.hasNext(); ) {
            var e = it.next();
            TaskResult r = run(e.getValue().asText(), m.get("args").asText(), List.of("JSONData"));
            assertThat(r.error()).as(e.getKey() + ": " + r.data()).isNull();
            assertThat(r.data()).as(e.getKey()).isEqualTo(e.getKey().equals("02") ? "11\n21" : "11\n-42");
        }
    }

    /** Each task sees its own id and sandbox; what a function puts in os.environ does not reach the next task. */
    @Test
    void aTaskSeesItsOwnVariablesAndNoneAnEarlierTaskSet() {
        String json = Buffers.pack(List.of("11\n[]", "11\n{}"));
        FunctionDoc leak = new FunctionDoc(
                FunctionId.random(),
                "leak",
                Buffers.pack(List.of("st\nleak:import os\ndef leak():\n    os.environ['LEAKED'] = '1'\n"
                        + "    os.environ['HOME'] = '/nowhere'\n    return os.environ['GC_TASK_UUID']\n")),
                null,
                null);
        FunctionDoc look = new FunctionDoc(
                FunctionId.random(),
                "look",
                Buffers.pack(
                        List.of(
                                "st\nlook:import os\ndef look():\n"
                                        + "    return [os.environ.get('LEAKED'), os.environ.get('HOME'), os.environ['GC_TASK_UUID']]\n")),
                null,
                null);
        TaskRunner runner = new TaskRunner(work);
        TaskMessage first = new TaskMessage(
                TaskId.random(), TaskGroupId.random(), 1, leak.functionUuid(), json, null, List.of("JSONData"));
        assertThat(runner.run(first, leak).data()).isEqualTo("11\n\"" + first.task() + "\"");
        TaskMessage second = new TaskMessage(
                TaskId.random(), TaskGroupId.random(), 1, look.functionUuid(), json, null, List.of("JSONData"));
        assertThat(runner.run(second, look).data())
                .isEqualTo("11\n[null, " + Json.write(System.getenv("HOME")) + ", \"" + second.task() + "\"]");
    }
}
