package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TabWriterTest {
    @Test
    void columnsAreWidestCellPlusThreeAndAtLeastTen() {
        String out = TabWriter.docker()
                .write("REPOSITORY\tTAG\tIMAGE ID\tSIZE\n")
                .write("localhost:5000/ns/bbx\tv1\t2c538ba80ad3\t1.98MB\n")
                .write("small\tlatest\t5e4db7c76caf\t2B\n")
                .flush();
        assertThat(out).isEqualTo(
                "REPOSITORY              TAG       IMAGE ID       SIZE\n"
                + "localhost:5000/ns/bbx   v1        2c538ba80ad3   1.98MB\n"
                + "small                   latest    5e4db7c76caf   2B\n");
    }

    @Test
    void emptyLastCellsStillPadTheColumnBeforeThem() {
        String out = TabWriter.docker().write("A\tCOMMENT\n").write("x\t\n").flush();
        assertThat(out).isEqualTo("A         COMMENT\nx         \n");
    }

    @Test
    void aLineWithoutTabsEndsTheColumnsAboveIt() {
        String out = new TabWriter(1, 1)
                .write("a\tb\n")
                .write("title\n")
                .write("longer\tc\n")
                .flush();
        assertThat(out).isEqualTo("a b\ntitle\nlonger c\n");
    }

    @Test
    void widthCountsCharactersNotBytes() {
        String out = new TabWriter(1, 1).write("é…\tx\nab\ty\n").flush();
        assertThat(out).isEqualTo("é… x\nab y\n");
    }

    @Test
    void textWithoutFinalNewlineIsKept() {
        assertThat(new TabWriter(1, 1).write("a\tb\nccc\td").flush()).isEqualTo("a   b\nccc d");
    }
}
