export default { Pool: class {}, types: { getTypeParser(){} } };
