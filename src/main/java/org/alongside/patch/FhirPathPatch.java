package org.alongside.patch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Property;

/**
 * FHIRPath Patch (R4 §2.40: a {@code Parameters} resource of {@code operation}s add, insert, delete, replace and
 * move), applied to the R4 model. Paths are evaluated with HAPI's FHIRPath engine; the element a path selects is then
 * found in the resource by identity, so any expression the engine evaluates (indexes, {@code where()}) can select the
 * element to delete or replace. Insert and move work on a list, so their path ends in the list's element name.
 */
public final class FhirPathPatch implements ResourcePatch {

    private static final Set<String> TYPES = Set.of("add", "insert", "delete", "replace", "move");
    /** The last step of an insert's or move's path: the name of the list element, after the expression it is in. */
    private static final Pattern LIST_PATH = Pattern.compile("^(.+)\\.([A-Za-z][A-Za-z0-9]*)$");

    private record Operation(int index, String type, String path, String name, ParametersParameterComponent value,
                             Integer position, Integer source, Integer destination) {
    }

    private final FhirContext context;
    private final List<Operation> operations;

    private FhirPathPatch(FhirContext context, List<Operation> operations) {
        this.context = context;
        this.operations = operations;
    }

    /** Reads the operations of a FHIRPath Patch; 400 when one lacks what its type needs or its path does not parse. */
    public static FhirPathPatch parse(FhirContext context, Parameters parameters) {
        List<Operation> operations = new ArrayList<>();
        IFhirPath fhirPath = context.newFhirPath();
        for (ParametersParameterComponent parameter : parameters.getParameter()) {
            int index = operations.size();
            if (!"operation".equals(parameter.getName())) {
                throw new InvalidRequestException("A FHIRPath Patch has only parameters named operation, not "
                        + parameter.getName());
            }
            String type = primitive(parameter, "type");
            String path = primitive(parameter, "path");
            if (type == null || !TYPES.contains(type)) {
                throw new InvalidRequestException("Patch operation " + index
                        + ": type must be one of add, insert, delete, replace, move");
            }
            if (path == null || path.isBlank()) {
                throw new InvalidRequestException("Patch operation " + index + " (" + type + ") needs a path");
            }
            try {
                fhirPath.parse(path);
            } catch (Exception e) {
                throw new InvalidRequestException("Patch operation " + index + " (" + type + "): the path is not a "
                        + "FHIRPath expression");
            }
            Operation operation = new Operation(index, type, path, primitive(parameter, "name"), part(parameter, "value"),
                    integer(parameter, "index"), integer(parameter, "source"), integer(parameter, "destination"));
            requireParts(operation);
            operations.add(operation);
        }
        if (operations.isEmpty()) {
            throw new InvalidRequestException("A FHIRPath Patch needs at least one operation");
        }
        return new FhirPathPatch(context, operations);
    }

    private static void requireParts(Operation op) {
        List<String> missing = new ArrayList<>();
        boolean needsValue = !op.type().equals("delete") && !op.type().equals("move");
        if (needsValue && (op.value() == null || (!op.value().hasValue() && !op.value().hasPart()))) {
            missing.add("value");
        }
        if (op.type().equals("add") && (op.name() == null || op.name().isBlank())) {
            missing.add("name");
        }
        if (op.type().equals("insert") && op.position() == null) {
            missing.add("index");
        }
        if (op.type().equals("move") && (op.source() == null || op.destination() == null)) {
            missing.add("source and destination");
        }
        if ((op.type().equals("insert") || op.type().equals("move")) && !LIST_PATH.matcher(op.path()).matches()) {
            missing.add("a path that ends in the name of a list element");
        }
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("Patch operation " + op.index() + " (" + op.type() + ") needs "
                    + String.join(", ", missing));
        }
    }

    @Override
    public IBaseResource applyTo(IBaseResource current) {
        IFhirPath fhirPath = context.newFhirPath();
        Base resource = (Base) current;
        for (Operation op : operations) {
            try {
                apply(fhirPath, resource, op);
            } catch (FHIRException | ClassCastException | IllegalArgumentException e) {
                throw notApplicable(op, "the value does not fit the element");
            }
        }
        return current;
    }

    private void apply(IFhirPath fhirPath, Base resource, Operation op) {
        switch (op.type()) {
            case "add" -> {
                Base container = single(fhirPath, resource, op.path(), op);
                Property property = property(container, op.name(), op);
                if (!property.isList() && property.hasValues()) {
                    throw notApplicable(op, op.name() + " already has a value (use replace)");
                }
                container.setProperty(op.name().hashCode(), op.name(), value(container, op.name(), op));
            }
            case "insert" -> {
                ListSlot list = list(fhirPath, resource, op);
                if (op.position() < 0 || op.position() > list.values().size()) {
                    throw notApplicable(op, "index " + op.position() + " is outside the list of "
                            + list.values().size());
                }
                list.values().add(op.position(), value(list.container(), list.name(), op));
                list.write();
            }
            case "delete" -> {
                List<Base> found = evaluate(fhirPath, resource, op.path(), op);
                if (found.size() > 1) {
                    throw notApplicable(op, "the path selects " + found.size() + " elements; delete takes one");
                }
                if (!found.isEmpty()) {
                    Slot slot = locate(resource, found.get(0), op);
                    slot.remove();
                }
            }
            case "replace" -> {
                Slot slot = locate(resource, single(fhirPath, resource, op.path(), op), op);
                slot.replace(value(slot.parent(), slot.name(), op));
            }
            case "move" -> {
                ListSlot list = list(fhirPath, resource, op);
                int size = list.values().size();
                if (op.source() < 0 || op.source() >= size || op.destination() < 0 || op.destination() >= size) {
                    throw notApplicable(op, "source and destination must be within the list of " + size);
                }
                list.values().add(op.destination(), list.values().remove((int) op.source()));
                list.write();
            }
            default -> throw new IllegalStateException(op.type());
        }
    }

    /** The value of an operation: a FHIR datatype, or parts that build an element of the property's type. */
    private static Base value(Base container, String name, Operation op) {
        if (op.value().hasValue()) {
            return op.value().getValue();
        }
        // a detached new element of the right type: made in a copy of its container, so the resource is untouched
        Base element = container.copy().addChild(name);
        fill(element, op.value().getPart(), op);
        return element;
    }

    private static void fill(Base element, List<ParametersParameterComponent> parts, Operation op) {
        for (ParametersParameterComponent part : parts) {
            String name = part.getName();
            if (part.hasValue()) {
                element.setProperty(name.hashCode(), name, part.getValue());
            } else if (part.hasPart()) {
                fill(element.addChild(name), part.getPart(), op);
            } else {
                throw notApplicable(op, "part " + name + " of the value has no value");
            }
        }
    }

    private static List<Base> evaluate(IFhirPath fhirPath, Base resource, String path, Operation op) {
        try {
            return fhirPath.evaluate(resource, path, Base.class);
        } catch (RuntimeException e) {
            throw notApplicable(op, "the path cannot be evaluated on this resource");
        }
    }

    private static Base single(IFhirPath fhirPath, Base resource, String path, Operation op) {
        List<Base> found = evaluate(fhirPath, resource, path, op);
        if (found.size() != 1) {
            throw notApplicable(op, "the path selects " + found.size() + " elements; it must select one");
        }
        return found.get(0);
    }

    private static Property property(Base container, String name, Operation op) {
        Property property = container.getNamedProperty(name.hashCode(), name, false);
        if (property == null) {
            throw notApplicable(op, container.fhirType() + " has no element " + name);
        }
        return property;
    }

    /** The list an insert or move works on: its container (one element) and its name, and its values to reorder. */
    private static ListSlot list(IFhirPath fhirPath, Base resource, Operation op) {
        var matcher = LIST_PATH.matcher(op.path());
        matcher.matches();
        Base container = single(fhirPath, resource, matcher.group(1), op);
        Property property = property(container, matcher.group(2), op);
        if (!property.isList()) {
            throw notApplicable(op, matcher.group(2) + " is not a list");
        }
        return new ListSlot(container, property.getName(), new ArrayList<>(property.getValues()));
    }

    /** Where {@code target} sits in the resource: found by identity, so it is the very element the path selected. */
    private static Slot locate(Base root, Base target, Operation op) {
        Slot slot = find(root, target);
        if (slot == null) {
            throw notApplicable(op, "the path selects a value that is not an element of the resource");
        }
        return slot;
    }

    private static Slot find(Base parent, Base target) {
        for (Property property : parent.children()) {
            List<Base> values = property.getValues();
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == target) {
                    return new Slot(parent, property.getName(), property.isList(), i, new ArrayList<>(values));
                }
            }
            for (Base value : values) {
                Slot inside = value == null ? null : find(value, target);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /** One element in its parent: a single value, or the {@code index}th of a list. */
    private record Slot(Base parent, String name, boolean list, int index, List<Base> values) {

        void remove() {
            if (list) {
                values.remove(index);
                new ListSlot(parent, name, values).write();
            } else {
                parent.removeChild(name, values.get(index));
            }
        }

        void replace(Base value) {
            if (list) {
                values.set(index, value);
                new ListSlot(parent, name, values).write();
            } else {
                parent.setProperty(name, value);
            }
        }
    }

    /** A list element's values in a new order: the model has no positional setters, so the list is written anew. */
    private record ListSlot(Base container, String name, List<Base> values) {

        void write() {
            for (Base old : new ArrayList<>(container.getNamedProperty(name).getValues())) {
                container.removeChild(name, old);
            }
            for (Base value : values) {
                container.setProperty(name, value);
            }
        }
    }

    private static UnprocessableEntityException notApplicable(Operation op, String why) {
        return new UnprocessableEntityException("Patch operation " + op.index() + " (" + op.type() + " at "
                + op.path() + ") cannot be applied: " + why);
    }

    private static ParametersParameterComponent part(ParametersParameterComponent parameter, String name) {
        return parameter.getPart().stream().filter(p -> name.equals(p.getName())).findFirst().orElse(null);
    }

    private static String primitive(ParametersParameterComponent parameter, String name) {
        ParametersParameterComponent part = part(parameter, name);
        return part == null || !part.hasValue() || !part.getValue().isPrimitive() ? null
                : part.getValue().primitiveValue();
    }

    private static Integer integer(ParametersParameterComponent parameter, String name) {
        ParametersParameterComponent part = part(parameter, name);
        if (part == null) {
            return null;
        }
        if (!(part.getValue() instanceof IntegerType number) || !number.hasValue()) {
            throw new InvalidRequestException("Patch parameter " + name + " must be an integer");
        }
        return number.getValue();
    }
}
