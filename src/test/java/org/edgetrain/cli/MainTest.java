package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Main makes only the command it runs; the list of names it shows must stay the commands' own names. */
class MainTest {
    @Test
    void everyListedNameMakesTheCommandOfThatName() {
        for (String name : Main.NAMES) assertEquals(name, Main.command(name).name());
        assertNull(Main.command("runn"));
        assertNull(Main.command("version"), "version is answered by Main itself");
    }

    @Test
    void helpListsEveryCommandWithItsSummaryAndAnUnknownOneNamesThemAll() {
        String help = Main.help();
        for (String name : Main.NAMES) assertTrue(help.contains("  " + name + " ") && help.contains(Main.command(name).summary()), name);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"trian"}, new PrintStream(new ByteArrayOutputStream()), e));
        assertEquals("edgetrain: unknown command 'trian'; commands: demo, train, eval, predict, plan, export, bench, selftest, doctor, "
                + "ingest, run (edgetrain help)", err.toString(StandardCharsets.UTF_8).strip());
    }
}
