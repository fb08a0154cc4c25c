package io.reactorbpf.core;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The BOM is at the project's version and manages every library module at that version. */
class BomTest {

    @Test
    void theBomManagesEveryLibraryModuleAtTheProjectsVersion() throws Exception {
        String version = System.getProperty("project.version");
        Document bom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("..", "reactor-bpf-bom", "pom.xml").toFile());
        Element project = bom.getDocumentElement();
        assertEquals(version, child(project, "version"));
        Map<String, String> managed = new TreeMap<>();
        NodeList deps = project.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertEquals("io.reactorbpf", child(d, "groupId"));
            managed.put(child(d, "artifactId"), child(d, "version"));
        }
        assertEquals(Map.of("reactor-bpf-core", version, "reactor-bpf-perf", version,
                "reactor-bpf-spring-boot-starter", version, "reactor-bpf-kafka", version), managed);
    }

    private static String child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError(parent.getTagName() + " has no " + name);
    }
}
