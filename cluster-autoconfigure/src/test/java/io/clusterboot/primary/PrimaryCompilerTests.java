package io.clusterboot.primary;

import java.lang.management.ManagementFactory;

import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary's JIT without C2, on this test's own JVM, put back after each test.
 */
class PrimaryCompilerTests {

	@AfterEach
	void restore() {
		PrimaryCompiler.restore();
	}

	@Test
	void theJvmTakesADirectiveThatKeepsC2OutButForSha256() throws Exception {
		String before = directives();
		assertThat(PrimaryCompiler.leaveC2Out()).isTrue();
		String added = directives();
		assertThat(added).isNotEqualTo(before).contains("sun/security/provider/*.*").contains("*.*");
		PrimaryCompiler.restore();
		assertThat(directives()).isEqualTo(before);
	}

	@Test
	void leavingC2OutTwiceAddsOneDirective() throws Exception {
		PrimaryCompiler.leaveC2Out();
		String once = directives();
		PrimaryCompiler.leaveC2Out();
		assertThat(directives()).isEqualTo(once);
	}

	private static String directives() throws Exception {
		return (String) ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
	}

}
