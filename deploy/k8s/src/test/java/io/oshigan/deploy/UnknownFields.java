package io.oshigan.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fields the typed models did not know. fabric8 and Strimzi models keep unknown YAML keys in
 * {@code additionalProperties} instead of failing; a typo such as {@code imagee:} lands there. This walks the whole
 * object graph and lists every such key with its path.
 */
final class UnknownFields {
    private final List<String> found = new ArrayList<>();
    private final Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private UnknownFields() {
    }

    static List<String> in(Object model) {
        UnknownFields walker = new UnknownFields();
        walker.visit(model, "");
        return walker.found;
    }

    private void visit(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> visit(v, path + "." + k));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                visit(item, path + "[" + i++ + "]");
            }
            return;
        }
        String type = value.getClass().getName();
        if (!(type.startsWith("io.fabric8.") || type.startsWith("io.strimzi.")) || !seen.add(value)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            if (name.equals("getAdditionalProperties")) {
                Object extra = invoke(getter, value);
                if (extra instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    unknown.keySet().forEach(key -> found.add(path + "." + key));
                }
            } else if (name.startsWith("get") && name.length() > 3) {
                String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
                visit(invoke(getter, value), path + "." + field);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // computed accessors that need state the YAML did not give: nothing to walk
        }
    }
}
